// SPDX-License-Identifier: GPL-3.0-or-later
#include "fraud/fraudengine.h"

#include "event/event.h"

#include <QCoreApplication>
#include <QSettings>
#include <QStringList>

#include <algorithm>
#include <cmath>

namespace portcullis::fraud {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("portcullis::fraud::FraudEngine", text);
}

// Returns 10^exponent as a 128-bit integer.
__int128 powerOfTen(int exponent)
{
    __int128 result = 1;
    for (int i = 0; i < exponent; ++i)
        result *= 10;
    return result;
}

// Computes the four significant digits of |value| and the decimal exponent
// of the first one. Rounds the exact binary value half away from zero, as
// QString::number does in Qt 6.4. Only for 1e-8 <= |value| < 1e12, where the
// exact fraction fits in 128 bits.
void significantDigits(float value, int *digits, int *exponent)
{
    int binaryExponent = 0;
    const float fraction = std::frexp(std::fabs(value), &binaryExponent);
    const qint64 mantissa = qint64(std::ldexp(fraction, 24));  // exact: 24 bits
    binaryExponent -= 24;
    int decimal = int(std::floor(std::log10(std::fabs(double(value)))));
    for (;;) {
        // digits = |value| * 10^(3 - decimal) = numerator / denominator
        const int scale = 3 - decimal;
        __int128 numerator = mantissa;
        __int128 denominator = 1;
        if (scale >= 0)
            numerator *= powerOfTen(scale);
        else
            denominator *= powerOfTen(-scale);
        if (binaryExponent >= 0)
            numerator <<= binaryExponent;
        else
            denominator <<= -binaryExponent;
        __int128 whole = numerator / denominator;
        if (whole < 1000) {
            --decimal;  // log10 rounded up near a power of ten
            continue;
        }
        if (whole >= 10000) {
            ++decimal;
            continue;
        }
        if (2 * (numerator - whole * denominator) >= denominator)
            ++whole;
        if (whole == 10000) {
            whole = 1000;
            ++decimal;
        }
        *digits = int(whole);
        *exponent = decimal;
        return;
    }
}

// Writes `value` the way QString::number(value, 'g', 4) does and returns the
// length, or returns 0 for values it leaves to QString: negative zero, NaN,
// infinities and magnitudes outside [1e-8, 1e12). Needs 16 characters.
int formatReasonValue(float value, char16_t *text)
{
    if (value == 0.f && !std::signbit(value)) {
        text[0] = u'0';
        return 1;
    }
    const float magnitude = std::fabs(value);
    if (!(magnitude >= 1e-8f && magnitude < 1e12f))
        return 0;
    int digits = 0;
    int exponent = 0;
    significantDigits(value, &digits, &exponent);
    char16_t significant[4];
    for (int i = 3; i >= 0; --i) {
        significant[i] = char16_t(u'0' + digits % 10);
        digits /= 10;
    }
    int count = 4;
    while (count > 1 && significant[count - 1] == u'0')
        --count;  // 'g' drops trailing zeros

    int length = 0;
    if (value < 0)
        text[length++] = u'-';
    if (exponent < -4 || exponent >= 4) {
        // 1.235e+04, 9.999e-05, 1e+05
        text[length++] = significant[0];
        if (count > 1)
            text[length++] = u'.';
        for (int i = 1; i < count; ++i)
            text[length++] = significant[i];
        text[length++] = u'e';
        text[length++] = exponent < 0 ? u'-' : u'+';
        const int power = std::abs(exponent);
        if (power >= 10)
            text[length++] = char16_t(u'0' + power / 10);
        else
            text[length++] = u'0';
        text[length++] = char16_t(u'0' + power % 10);
    } else if (exponent >= 0) {
        // 2530, 5.2, 12.5
        for (int i = 0; i <= exponent; ++i)
            text[length++] = i < count ? significant[i] : u'0';
        if (count > exponent + 1)
            text[length++] = u'.';
        for (int i = exponent + 1; i < count; ++i)
            text[length++] = significant[i];
    } else {
        // 0.3158, 0.0001234
        text[length++] = u'0';
        text[length++] = u'.';
        for (int i = -1; i > exponent; --i)
            text[length++] = u'0';
        for (int i = 0; i < count; ++i)
            text[length++] = significant[i];
    }
    return length;
}

} // namespace

QString reasonText(int feature, float value)
{
    // Translated once per process: formatting runs for every decision.
    static const std::vector<QString> prefixes = [] {
        std::vector<QString> texts;
        for (int i = 0; i < FeatureCount; ++i)
            texts.push_back(featureDescription(i) + QLatin1String(": "));
        return texts;
    }();
    static const std::vector<QString> missingTexts = [] {
        const QString missing = tr("unknown, no history for this payer (guest checkout or first payment)");
        std::vector<QString> texts;
        for (const QString &prefix : prefixes)
            texts.push_back(prefix + missing);
        return texts;
    }();
    if (isMissing(value))
        return missingTexts[size_t(feature)];

    // QString::number would cost a temporary string and a general
    // conversion for every reason.
    const QString &prefix = prefixes[size_t(feature)];
    char16_t digits[16];
    const int length = formatReasonValue(value, digits);
    if (length == 0)
        return prefix + QString::number(double(value), 'g', 4);
    QString text(prefix.size() + length, Qt::Uninitialized);
    std::copy_n(prefix.constData(), prefix.size(), text.data());
    std::copy_n(digits, length, text.data() + prefix.size());
    return text;
}

QString missingReasonText(const int *features, int count)
{
    if (count == 1)
        return reasonText(features[0], missingValue());
    QStringList descriptions;
    for (int i = 0; i < count; ++i)
        descriptions.append(featureDescription(features[i]));
    return tr("unknown, no history for this payer (guest checkout or first payment): %1")
        .arg(descriptions.join(QLatin1String("; ")));
}

QString fraudActionName(FraudAction action)
{
    switch (action) {
    case FraudAction::Allow: return QStringLiteral("allow");
    case FraudAction::Review: return QStringLiteral("review");
    case FraudAction::Block: return QStringLiteral("block");
    }
    return QString();
}

FraudSettings FraudSettings::fromSettings()
{
    QSettings settings;
    FraudSettings result;
    result.blockThreshold = settings.value(QStringLiteral("fraud/blockThreshold"), -1).toInt();
    result.reviewThreshold = settings.value(QStringLiteral("fraud/reviewThreshold"), -1).toInt();
    result.reasonCount
        = std::clamp(settings.value(QStringLiteral("fraud/reasonCount"), 3).toInt(), 0, 10);
    return result;
}

FraudEngine::FraudEngine(const FraudSettings &settings)
    : m_settings(settings)
    , m_extractor(settings.features)
{
}

bool FraudEngine::loadModel(const QString &path, QString *error)
{
    TreeModel model;
    if (!model.load(path, error))
        return false;
    m_model = model;
    return true;
}

void FraudEngine::setModel(const TreeModel &model)
{
    m_model = model;
}

int FraudEngine::blockThreshold() const
{
    return m_settings.blockThreshold >= 0 ? m_settings.blockThreshold : m_model.blockThreshold;
}

int FraudEngine::reviewThreshold() const
{
    return m_settings.reviewThreshold >= 0 ? m_settings.reviewThreshold : m_model.reviewThreshold;
}

std::optional<Decision> FraudEngine::process(const Event &event)
{
    PaymentRecord record;
    if (!paymentFromEvent(event, &record))
        return std::nullopt;
    return process(record);
}

Decision FraudEngine::process(const PaymentRecord &record)
{
    FeatureVector features;
    return process(record, &features);
}

Decision FraudEngine::process(const PaymentRecord &record, FeatureVector *features)
{
    if (!isScored(record.kind)) {
        m_extractor.process(record, nullptr);
        Decision decision;
        decision.paymentId = record.id;
        decision.eventId = record.eventId;
        decision.timeMs = record.timeMs;
        decision.decidedBy = QStringLiteral("default");
        return decision;
    }
    m_extractor.process(record, features);
    return decide(record, *features);
}

void FraudEngine::scoreWithModel(const FeatureVector &features, Decision *decision) const
{
    // One walk of the trees gives the margin and the reasons' contributions.
    // Twice the requested count are candidates, so that observed features
    // can take the places of missing ones folded into one line.
    constexpr int MaxReasons = 10;
    Contribution top[2 * MaxReasons];
    int count = 0;
    const int requested = qMin(m_settings.reasonCount, MaxReasons);
    const float margin = requested > 0
        ? m_model.marginWithTopContributions(features, 2 * requested, top, &count)
        : m_model.margin(features);
    decision->probability = m_model.probability(margin);
    decision->score = TreeModel::scoreFromProbability(decision->probability);
    selectReasons(top, count, requested, &decision->reasons);
}

void selectReasons(const Contribution *candidates, int count, int requested,
    DecisionReasons *reasons)
{
    // The missing values among the top `requested` candidates share one line.
    int folded[MaxFoldedReasons];
    int foldedCount = 0;
    float foldedContribution = 0;
    for (int i = 0; i < qMin(count, requested); ++i) {
        if (isMissing(candidates[i].value) && foldedCount < MaxFoldedReasons) {
            folded[foldedCount++] = candidates[i].feature;
            foldedContribution += candidates[i].contribution;
        }
    }

    const int observedSlots = foldedCount > 0 ? requested - 1 : requested;
    reasons->reserve(qMin(count, requested));
    for (int i = 0; i < count && reasons->size() < observedSlots; ++i) {
        const Contribution &c = candidates[i];
        if (isMissing(c.value))
            continue;
        DecisionReason &reason = reasons->emplace_back();
        reason.value = c.value;
        reason.contribution = c.contribution;
        reason.features[0] = quint8(c.feature);
        reason.featureCount = 1;
    }
    if (foldedCount == 0)
        return;

    // Placed by its summed contribution, so the list stays highest first.
    qsizetype at = 0;
    while (at < reasons->size() && reasons->at(at).contribution >= foldedContribution)
        ++at;
    DecisionReason line;
    line.value = missingValue();
    line.contribution = foldedContribution;
    for (int i = 0; i < foldedCount; ++i)
        line.features[size_t(i)] = quint8(folded[i]);
    line.featureCount = quint8(foldedCount);
    reasons->insert(at, std::move(line));
}

const QString &DecisionReason::featureName() const
{
    return featureCount > 0 ? fraud::featureName(features[0]) : storedFeature;
}

QString DecisionReason::text() const
{
    if (featureCount == 0)
        return storedText;
    if (!isMissing(value))
        return reasonText(features[0], value);
    int indexes[MaxFoldedReasons];
    for (int i = 0; i < featureCount; ++i)
        indexes[i] = features[size_t(i)];
    return missingReasonText(indexes, featureCount);
}

Decision FraudEngine::decide(const PaymentRecord &record, const FeatureVector &features) const
{
    Decision decision;
    decision.paymentId = record.id;
    decision.eventId = record.eventId;
    decision.timeMs = record.timeMs;
    decision.decidedBy = QStringLiteral("default");

    RuleInput input{&record, &features, missingValue()};
    // The model learned from card charges, so payouts are left to the rules.
    if (!m_model.isEmpty() && record.kind != PaymentKind::Payout) {
        scoreWithModel(features, &decision);
        input.riskScore = float(decision.score);
        if (decision.score >= blockThreshold())
            decision.action = FraudAction::Block;
        else if (decision.score >= reviewThreshold())
            decision.action = FraudAction::Review;
        decision.decidedBy = QStringLiteral("model");
    }

    // Request-3DS rules all apply; then the first allow, block or review
    // rule, in that order of actions, decides.
    const Rule *deciding = nullptr;
    for (const int index : m_rules.evaluationOrder()) {
        const Rule &rule = m_rules.rules()[size_t(index)];
        if (!m_rules.matches(rule, input))
            continue;
        decision.ruleHits.append({rule.action, rule.text, rule.line});
        if (rule.action == RuleAction::RequestThreeDSecure)
            decision.requestThreeDSecure = true;
        else if (!deciding)
            deciding = &rule;
    }
    if (deciding) {
        decision.decidedBy = QStringLiteral("rule");
        decision.action = deciding->action == RuleAction::Allow ? FraudAction::Allow
            : deciding->action == RuleAction::Block             ? FraudAction::Block
                                                                : FraudAction::Review;
    }
    return decision;
}

} // namespace portcullis::fraud
