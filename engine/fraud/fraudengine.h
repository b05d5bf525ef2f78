// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fraud/features.h"
#include "fraud/payment.h"
#include "fraud/rules.h"
#include "fraud/treemodel.h"

#include <QList>
#include <QString>
#include <QVarLengthArray>

#include <array>
#include <optional>

namespace portcullis {
struct Event;
}

namespace portcullis::fraud {

enum class FraudAction : quint8 { Allow, Review, Block };
QString fraudActionName(FraudAction action);  // "allow", "review", "block"

// A decision reason in words, translated: the feature's description and its
// value ("payments the payer made before: 194"), or the description and
// "unknown" when the value is missing (NaN).
QString reasonText(int feature, float value);

// Maximum number of missing features that one reason line lists.
inline constexpr int MaxFoldedReasons = 10;

// One feature behind a score. A line for several missing features (see
// selectReasons) names the one that added the most. Scoring keeps the
// feature indexes, and featureName() and text() write the words when a
// decision is shown, stored or printed, so that scoring copies no strings.
struct DecisionReason
{
    // The feature name of a reason read back from storage. Empty for a
    // decision made here, whose name comes from `features`.
    QString storedFeature;
    float value = 0;       // its value, NaN when missing
    float contribution = 0;  // log-odds it added, summed over a line's features
    // The text of a reason read back from storage. Empty for a decision made
    // here, whose text comes from `features`.
    QString storedText;
    // FeatureSet indexes that the line describes, the named feature first.
    // There is one, or up to MaxFoldedReasons missing ones, and 0 means
    // storedFeature and storedText.
    std::array<quint8, MaxFoldedReasons> features = {};
    quint8 featureCount = 0;

    // Returns the feature name ("amount_to_payer_mean_ratio"): that of
    // features[0], or storedFeature.
    const QString &featureName() const;
    // Returns the reason in words: reasonText() of the feature and value, or
    // missingReasonText() for a line of missing values, or storedText.
    QString text() const;
};
static_assert(FeatureCount <= 256, "DecisionReason::features holds indexes in 8 bits");

// The reasons of one decision, highest first. Three (the default count) fit
// without a heap allocation.
using DecisionReasons = QVarLengthArray<DecisionReason, 3>;

// One reason line for features whose values are missing: reasonText() for
// a single feature, else "unknown, no history for this payer (...): " and
// their descriptions.
QString missingReasonText(const int *features, int count);

// Picks at most `requested` reasons from `candidates` (positive
// contributions, highest first), appended to `reasons` highest first.
// Observed values get their own lines, while the missing values among the
// top `requested` candidates share one line, so a guest checkout's missing
// history does not crowd out the facts that were observed.
void selectReasons(const Contribution *candidates, int count, int requested,
    DecisionReasons *reasons);

struct RuleHit
{
    RuleAction action = RuleAction::Review;
    QString rule;  // the rule text
    int line = 0;
};

// The result of scoring one payment.
struct Decision
{
    QByteArray paymentId;  // charge id or handbook transaction id
    QByteArray eventId;    // event.id, empty for CSV rows
    qint64 timeMs = 0;
    int score = -1;        // calibrated 0..99; -1 without a model and for payouts
    double probability = -1;
    FraudAction action = FraudAction::Allow;
    bool requestThreeDSecure = false;
    QString decidedBy;     // "rule", "model" or "default" (no model, no rule)
    DecisionReasons reasons;        // top contributions, highest first
    QList<RuleHit> ruleHits;        // every rule that matched
};

// Decision thresholds on the 0..99 score; -1 keeps the model file's value.
struct FraudSettings
{
    int blockThreshold = -1;
    int reviewThreshold = -1;
    int reasonCount = 3;  // reasons given per decision
    FeatureSettings features;

    // Reads fraud/blockThreshold, fraud/reviewThreshold and fraud/reasonCount
    // from QSettings.
    static FraudSettings fromSettings();
};

// Scores payments: features from the telemetry so far, the trained model,
// then the rules. Feed every payment event in time order (refunds, disputes
// and payouts too, which update state and return an unscored decision).
// Not thread-safe: use one engine per stream.
class FraudEngine
{
public:
    explicit FraudEngine(const FraudSettings &settings = {});

    bool loadModel(const QString &path, QString *error);
    void setModel(const TreeModel &model);
    const TreeModel &model() const { return m_model; }
    void setRules(const RuleSet &rules) { m_rules = rules; }
    RuleSet &rules() { return m_rules; }

    // Returns nothing for events that are not payments.
    std::optional<Decision> process(const Event &event);
    // Returns a decision for every record; unscored kinds (refunds, disputes,
    // warnings, destination changes) get score -1 and action allow.
    Decision process(const PaymentRecord &record);
    // Same as process() and also returns the feature values used.
    Decision process(const PaymentRecord &record, FeatureVector *features);

    // Applies the model and the rules to features that were already computed.
    Decision decide(const PaymentRecord &record, const FeatureVector &features) const;
    FeatureExtractor &extractor() { return m_extractor; }

private:
    int blockThreshold() const;
    int reviewThreshold() const;
    // Sets the probability, the score and the reasons from the model.
    void scoreWithModel(const FeatureVector &features, Decision *decision) const;

    FraudSettings m_settings;
    FeatureExtractor m_extractor;
    TreeModel m_model;
    RuleSet m_rules;
};

} // namespace portcullis::fraud
