// SPDX-License-Identifier: GPL-3.0-or-later
#include "fraud/fraudengine.h"

#include "event/event.h"

#include <QCoreApplication>
#include <QSettings>

#include <algorithm>

namespace portcullis::fraud {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("portcullis::fraud::FraudEngine", text);
}

// The reason in words: "amount compared with the payer's average: 5.2".
// Only features that raise the risk are given as reasons.
QString reasonText(int feature, float value)
{
    // Translated once per process: formatting runs for every decision.
    static const std::vector<QString> prefixes = [] {
        std::vector<QString> texts;
        for (int i = 0; i < FeatureCount; ++i)
            texts.push_back(featureDescription(i) + QLatin1String(": "));
        return texts;
    }();
    static const QString missing = tr("unknown, no history for this payer (guest checkout or first payment)");
    return prefixes[size_t(feature)]
        + (isMissing(value) ? missing : QString::number(double(value), 'g', 4));
}

} // namespace

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

void FraudEngine::addReasons(const FeatureVector &features, Decision *decision) const
{
    constexpr int MaxReasons = 10;
    Contribution top[MaxReasons];
    const int count = m_model.topContributions(features, qMin(m_settings.reasonCount, MaxReasons), top);
    decision->reasons.reserve(count);
    for (int i = 0; i < count; ++i) {
        const Contribution &c = top[i];
        decision->reasons.append({featureName(c.feature), c.value, c.contribution,
            reasonText(c.feature, c.value)});
    }
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
        decision.probability = m_model.probability(m_model.margin(features));
        decision.score = TreeModel::scoreFromProbability(decision.probability);
        input.riskScore = float(decision.score);
        if (decision.score >= blockThreshold())
            decision.action = FraudAction::Block;
        else if (decision.score >= reviewThreshold())
            decision.action = FraudAction::Review;
        decision.decidedBy = QStringLiteral("model");
        if (m_settings.reasonCount > 0)
            addReasons(features, &decision);
    }

    // Request-3DS rules all apply; then the first allow, block or review
    // rule, in that order of actions, decides.
    const Rule *deciding = nullptr;
    for (const RuleAction action : {RuleAction::RequestThreeDSecure, RuleAction::Allow,
             RuleAction::Block, RuleAction::Review}) {
        for (const Rule &rule : m_rules.rules()) {
            if (rule.action != action || !m_rules.matches(rule, input))
                continue;
            decision.ruleHits.append({rule.action, rule.text, rule.line});
            if (action == RuleAction::RequestThreeDSecure)
                decision.requestThreeDSecure = true;
            else if (!deciding)
                deciding = &rule;
        }
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
