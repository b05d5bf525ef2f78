// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fraud/featureset.h"
#include "fraud/payment.h"

#include <memory>

namespace portcullis::fraud {

struct FeatureSettings
{
    // Time from a payment until its fraud label may be used (merchant risk).
    // A charge without a fraud signal by then counts as genuine.
    qint64 labelDelayMs = 7LL * 24 * 3600 * 1000;
    // Events kept per entity for the windows; older ones are dropped first,
    // so an entity busier than this reports at most this many per window.
    int maxEventsPerEntity = 4096;
    // Entities kept per kind; the least recently seen go first when over.
    int maxEntitiesPerKind = 1 << 20;
    // An entity idle for this long is forgotten, history included.
    qint64 idleExpiryMs = 90LL * 24 * 3600 * 1000;
    // Charges remembered for refunds, disputes and warnings that name them.
    int maxRememberedCharges = 1 << 20;
};

// Sliding-window state per entity and the features computed from it. Feed
// records in time order: process() computes the features of a record from
// the state before it and then adds the record to the state. A record older
// than the newest one seen counts as happening at the newest time.
// Not thread-safe.
class FeatureExtractor
{
public:
    explicit FeatureExtractor(const FeatureSettings &settings = {});
    ~FeatureExtractor();
    FeatureExtractor(const FeatureExtractor &) = delete;
    FeatureExtractor &operator=(const FeatureExtractor &) = delete;

    // Computes the features when `features` is not null, then updates the state.
    void process(const PaymentRecord &record, FeatureVector *features);

    // Entities currently kept, all kinds together.
    qint64 entityCount() const;
    const FeatureSettings &settings() const;

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace portcullis::fraud
