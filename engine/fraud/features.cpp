// SPDX-License-Identifier: GPL-3.0-or-later
#include "fraud/features.h"

#include "fraud/entitystate.h"

#include <QHash>

#include <algorithm>
#include <deque>
#include <unordered_map>

namespace portcullis::fraud {

namespace {

constexpr qint64 MinuteMs = 60 * 1000;
constexpr qint64 HourMs = 60 * MinuteMs;
constexpr qint64 DayMs = 24 * HourMs;
constexpr qint64 VelocityWindows[feature::WindowCount] = {HourMs, DayMs, 7 * DayMs};
constexpr qint64 LabelWindows[3] = {DayMs, 7 * DayMs, 28 * DayMs};
constexpr float HighRatio = 3.0f;
constexpr qint64 SweepIntervalMs = DayMs;

// A charge whose fraud label is not yet released.
struct PendingLabel
{
    qint64 releaseMs = 0;
    quint64 merchant = 0;
    bool fraud = false;
};

// Entities of a remembered charge, for the refunds, disputes and warnings that name it.
struct ChargeInfo
{
    quint64 card = 0;
    quint64 customer = 0;
    quint64 merchant = 0;
};

using EntityMap = std::unordered_map<quint64, EntityState>;

bool isFraudSignal(const PaymentRecord &record)
{
    switch (record.kind) {
    case PaymentKind::EarlyFraudWarning:
        return true;
    case PaymentKind::Dispute:
    case PaymentKind::Refund:
        return record.reason == QLatin1String("fraudulent");
    default:
        return false;
    }
}

// Prefetches every cache line of `object`. A hint only, so results do not change.
template<typename T>
void prefetchLines(const T *object)
{
    constexpr quintptr LineBytes = 64;
    const quintptr first = reinterpret_cast<quintptr>(object) & ~(LineBytes - 1);
    const quintptr last = reinterpret_cast<quintptr>(object) + sizeof(T) - 1;
    for (quintptr line = first; line <= last; line += LineBytes)
        __builtin_prefetch(reinterpret_cast<const void *>(line));
}

float ratio(double numerator, double denominator)
{
    return denominator > 0 ? float(numerator / denominator) : missingValue();
}

} // namespace

struct FeatureExtractor::State
{
    FeatureSettings settings;
    EntityMap entities[EntityKindCount];
    std::unordered_map<quint64, MerchantLabels> labels;
    std::deque<PendingLabel> pending;
    QHash<QByteArray, ChargeInfo> charges;
    std::deque<QByteArray> chargeOrder;
    qint64 nowMs = 0;
    qint64 lastSweepMs = 0;
    // Lower bound of every entity's and merchant label's lastSeenMs. It is
    // the oldest time the last sweep kept, or that sweep's time if earlier,
    // and stays valid because updates only move lastSeenMs forward.
    qint64 oldestSeenMs = 0;
    // States of the current record's entities, set by findStates() and update().
    EntityState *found[EntityKindCount] = {};

    EntityState *find(EntityKind kind, quint64 key)
    {
        EntityMap &map = entities[int(kind)];
        const auto it = map.find(key);
        return it == map.end() ? nullptr : &it->second;
    }

    EntityState &obtain(EntityKind kind, quint64 key)
    {
        EntityMap &map = entities[int(kind)];
        auto [it, inserted] = map.try_emplace(key);
        it->second.lastSeenMs = nowMs;
        if (inserted) {
            it->second.firstSeenMs = nowMs;
            if (int(map.size()) > settings.maxEntitiesPerKind) {
                evictOldest(map, key);
                it = map.find(key);
            }
        }
        return it->second;
    }

    void evictOldest(EntityMap &map, quint64 keep);
    void sweep();
    void releaseLabels();
    void rememberCharge(const PaymentRecord &record);
    void findStates(const PaymentRecord &record);
    void prefetchLabels(quint64 merchant);
    void compute(const PaymentRecord &record, FeatureVector &f);
    void computeMerchantLabels(quint64 merchant, MerchantLabels *merchantLabels, FeatureVector &f);
    void update(const PaymentRecord &record, float amountRatio);
    void addSignal(const PaymentRecord &record);
};

void FeatureExtractor::State::evictOldest(EntityMap &map, quint64 keepKey)
{
    // Keeps the newest 90% so that eviction runs once per many insertions.
    std::vector<qint64> seen;
    seen.reserve(map.size());
    for (const auto &[key, state] : map)
        seen.push_back(state.lastSeenMs);
    const size_t keep = size_t(settings.maxEntitiesPerKind) * 9 / 10;
    std::nth_element(seen.begin(), seen.end() - qint64(keep), seen.end());
    const qint64 cutoff = seen[seen.size() - keep];
    for (auto it = map.begin(); it != map.end();)
        it = it->second.lastSeenMs < cutoff && it->first != keepKey ? map.erase(it) : std::next(it);
    // Entities seen at the cutoff time itself go too while there are too many.
    for (auto it = map.begin(); it != map.end() && map.size() > keep;)
        it = it->second.lastSeenMs == cutoff && it->first != keepKey ? map.erase(it) : std::next(it);
}

void FeatureExtractor::State::sweep()
{
    lastSweepMs = nowMs;
    const qint64 cutoff = nowMs - settings.idleExpiryMs;
    if (oldestSeenMs >= cutoff)
        return;  // nothing can have expired, so skip the walk over every entity
    qint64 oldest = nowMs;
    for (EntityMap &map : entities) {
        for (auto it = map.begin(); it != map.end();) {
            if (it->second.lastSeenMs < cutoff) {
                it = map.erase(it);
            } else {
                oldest = qMin(oldest, it->second.lastSeenMs);
                ++it;
            }
        }
    }
    for (auto it = labels.begin(); it != labels.end();) {
        if (it->second.lastSeenMs < cutoff) {
            it = labels.erase(it);
        } else {
            oldest = qMin(oldest, it->second.lastSeenMs);
            ++it;
        }
    }
    oldestSeenMs = oldest;
}

void FeatureExtractor::State::releaseLabels()
{
    while (!pending.empty() && pending.front().releaseMs <= nowMs) {
        const PendingLabel label = pending.front();
        pending.pop_front();
        MerchantLabels &merchant = labels[label.merchant];
        merchant.lastSeenMs = nowMs;
        merchant.windows.advance(label.releaseMs, LabelWindows);
        const quint8 flags = AttemptFlag | (label.fraud ? DisputeFlag : 0);
        merchant.windows.push({label.releaseMs, 0, flags}, settings.maxEventsPerEntity);
        if (!label.fraud)
            merchant.fraudRunStartMs = 0;
        else if (merchant.fraudRunStartMs == 0)
            merchant.fraudRunStartMs = label.releaseMs;
    }
}

void FeatureExtractor::State::rememberCharge(const PaymentRecord &record)
{
    const quint64 merchant = record.key(EntityKind::Merchant);
    if (merchant != 0 && record.succeeded) {
        if (int(pending.size()) >= settings.maxRememberedCharges)
            pending.pop_front();  // dropped unlabelled: the queue stays bounded
        pending.push_back({record.timeMs + settings.labelDelayMs, merchant, record.label == 1});
    }
    // Handbook rows carry their label and are never named by later events.
    if (record.label >= 0 || record.id.isEmpty())
        return;
    if (int(chargeOrder.size()) >= settings.maxRememberedCharges) {
        charges.remove(chargeOrder.front());
        chargeOrder.pop_front();
    }
    charges.insert(record.id,
        {record.key(EntityKind::Card), record.key(EntityKind::Customer), merchant});
    chargeOrder.push_back(record.id);
}

void FeatureExtractor::State::computeMerchantLabels(quint64 merchant,
    MerchantLabels *merchantLabels, FeatureVector &f)
{
    using namespace feature;
    if (merchant == 0) {
        for (int i = MerchantKnownFraudsDaily; i <= MerchantFraudRunDays; ++i)
            f[i] = missingValue();
        return;
    }
    int frauds[3] = {}, labelled[3] = {};
    if (merchantLabels) {
        merchantLabels->windows.advance(nowMs, LabelWindows);
        for (int w = 0; w < 3; ++w) {
            frauds[w] = merchantLabels->windows.count(w, CountDisputes);
            labelled[w] = merchantLabels->windows.count(w, CountAttempts);
        }
    }
    f[MerchantKnownFraudsDaily] = float(frauds[0]);
    f[MerchantKnownFraudsWeekly] = float(frauds[1]);
    f[MerchantKnownFrauds28d] = float(frauds[2]);
    f[MerchantLabelledCharges28d] = float(labelled[2]);
    // A late fraud signal counts without a labelled charge, so cap the rate at 1.
    f[MerchantFraudRateWeekly] = ratio(qMin(frauds[1], labelled[1]), labelled[1]);
    f[MerchantFraudRate28d] = ratio(qMin(frauds[2], labelled[2]), labelled[2]);
    f[MerchantFraudRateDaily] = ratio(qMin(frauds[0], labelled[0]), labelled[0]);
    // A compromised terminal's frauds come in an unbroken run that ends
    // when the compromise does, so the run's age shows whether it may still go on.
    if (!merchantLabels || labelled[2] == 0)
        f[MerchantFraudRunDays] = missingValue();
    else if (merchantLabels->fraudRunStartMs == 0)
        f[MerchantFraudRunDays] = 0;
    else
        f[MerchantFraudRunDays] = float(double(nowMs - merchantLabels->fraudRunStartMs) / double(DayMs));
}

// Sets found[] and prefetches every state the record will read: its
// entities, its merchant's labels and those of the label released next.
// Looking them all up before any is read lets their cache misses overlap
// instead of following one another.
void FeatureExtractor::State::findStates(const PaymentRecord &record)
{
    for (int e = 0; e < EntityKindCount; ++e) {
        found[e] = record.entity[e] != 0 ? find(EntityKind(e), record.entity[e]) : nullptr;
        if (found[e])
            prefetchLines(found[e]);
    }
    prefetchLabels(record.key(EntityKind::Merchant));
    if (!pending.empty() && pending.front().releaseMs <= nowMs)
        prefetchLabels(pending.front().merchant);
}

void FeatureExtractor::State::prefetchLabels(quint64 merchant)
{
    if (merchant == 0)
        return;
    const auto it = labels.find(merchant);
    if (it != labels.end())
        prefetchLines(&it->second);
}

void FeatureExtractor::State::compute(const PaymentRecord &record, FeatureVector &f)
{
    using namespace feature;
    // findStates() has looked the entities up.
    EntityState **states = found;
    const quint64 merchant = record.key(EntityKind::Merchant);
    MerchantLabels *merchantLabels = nullptr;
    if (merchant != 0) {
        const auto it = labels.find(merchant);
        if (it != labels.end())
            merchantLabels = &it->second;
    }
    // The window buffers' misses overlap too, before the first advance.
    for (int e = 0; e < EntityKindCount; ++e) {
        if (states[e])
            states[e]->windows.prefetch(nowMs, VelocityWindows);
    }
    if (merchantLabels)
        merchantLabels->windows.prefetch(nowMs, LabelWindows);

    for (int e = 0; e < EntityKindCount; ++e) {
        const quint64 key = record.entity[e];
        if (states[e])
            states[e]->windows.advance(nowMs, VelocityWindows);
        const EntityState *s = states[e];
        for (int w = 0; w < WindowCount; ++w) {
            float total = missingValue();
            float declined = missingValue();
            float amount = missingValue();
            if (key != 0) {
                total = s ? float(s->windows.count(w, CountAttempts)) : 0.f;
                declined = s ? float(s->windows.count(w, CountDeclines)) : 0.f;
                amount = s ? float(s->windows.amount(w)) : 0.f;
            }
            f[velocity(EntityKind(e), TotalCharges, w)] = total;
            f[velocity(EntityKind(e), DeclinedCharges, w)] = declined;
            f[velocity(EntityKind(e), AmountInUsd, w)] = amount;
        }
    }

    const auto weekly = [&](EntityKind kind, int counter) {
        if (record.key(kind) == 0)
            return missingValue();
        const EntityState *s = states[int(kind)];
        return s ? float(s->windows.count(2, counter)) : 0.f;
    };
    f[RefundsPerCardWeekly] = weekly(EntityKind::Card, CountRefunds);
    f[RefundsPerCustomerWeekly] = weekly(EntityKind::Customer, CountRefunds);
    f[RefundsPerMerchantWeekly] = weekly(EntityKind::Merchant, CountRefunds);
    f[DisputesPerCardWeekly] = weekly(EntityKind::Card, CountDisputes);
    f[DisputesPerCustomerWeekly] = weekly(EntityKind::Customer, CountDisputes);
    f[DisputesPerMerchantWeekly] = weekly(EntityKind::Merchant, CountDisputes);
    f[EarlyFraudWarningsPerCardWeekly] = weekly(EntityKind::Card, CountWarnings);
    f[EarlyFraudWarningsPerCustomerWeekly] = weekly(EntityKind::Customer, CountWarnings);
    f[EarlyFraudWarningsPerMerchantWeekly] = weekly(EntityKind::Merchant, CountWarnings);

    const quint64 card = record.key(EntityKind::Card);
    const auto distinctCards = [&](EntityKind kind, qint64 windowMs) {
        if (record.key(kind) == 0 || card == 0)
            return missingValue();
        int count = 1;  // this payment's card
        if (const EntityState *s = states[int(kind)]) {
            for (const auto &[other, seenMs] : s->cards)
                count += other != card && seenMs > nowMs - windowMs ? 1 : 0;
        }
        return float(count);
    };
    f[CardsPerIpAddressDaily] = distinctCards(EntityKind::Ip, DayMs);
    f[CardsPerCustomerWeekly] = distinctCards(EntityKind::Customer, 7 * DayMs);
    f[CardsPerDeviceDaily] = distinctCards(EntityKind::Device, DayMs);
    f[CardsPerEmailWeekly] = distinctCards(EntityKind::Email, 7 * DayMs);

    f[Amount] = float(record.amount);
    f[AmountInUsdValue] = record.amountIsUsd ? float(record.amount) : missingValue();

    // The payer is the customer when the payment names one, else the card.
    const EntityKind payerKind
        = record.key(EntityKind::Customer) != 0 ? EntityKind::Customer : EntityKind::Card;
    const EntityState *payer = states[int(payerKind)];
    if (record.key(payerKind) == 0) {
        for (int i = PayerAmountMean; i <= PayerHighRatioChargesWeekly; ++i)
            f[i] = missingValue();
    } else {
        const bool history = payer && payer->historyCount > 0;
        const double mean = history ? payer->historySum / payer->historyCount : 0;
        f[PayerAmountMean] = history ? float(mean) : missingValue();
        f[PayerAmountMax] = history ? payer->historyMax : missingValue();
        f[AmountToPayerMeanRatio] = history ? ratio(record.amount, mean) : missingValue();
        f[AmountToPayerMaxRatio] = history ? ratio(record.amount, payer->historyMax) : missingValue();
        f[PayerPaymentCount] = payer ? float(payer->historyCount) : 0.f;
        f[PayerHighRatioChargesWeekly] = payer ? float(payer->windows.count(2, CountHighRatio)) : 0.f;
    }

    f[CardCountryDiffersFromIpCountry] = record.cardCountry.isEmpty() || record.ipCountry.isEmpty()
        ? missingValue()
        : float(record.cardCountry.compare(record.ipCountry, Qt::CaseInsensitive) != 0);
    const auto failed = [](CardCheck check) {
        if (check == CardCheck::Fail)
            return 1.f;
        if (check == CardCheck::Pass)
            return 0.f;
        return missingValue();
    };
    f[CvcCheckFailed] = failed(record.cvcCheck);
    f[PostalCodeCheckFailed] = failed(record.postalCheck);

    const auto age = [&](EntityKind kind, qint64 unitMs) {
        if (record.key(kind) == 0)
            return missingValue();
        const EntityState *s = states[int(kind)];
        return s ? float(double(nowMs - s->firstSeenMs) / double(unitMs)) : 0.f;
    };
    f[MinutesSinceCardFirstSeen] = age(EntityKind::Card, MinuteMs);
    f[CustomerAccountAgeDays] = age(EntityKind::Customer, DayMs);
    f[MerchantAgeDays] = age(EntityKind::Merchant, DayMs);

    const EntityState *cardState = states[int(EntityKind::Card)];
    f[DeclinesBeforeSuccessHourly] = card == 0 ? missingValue()
        : !record.succeeded || !cardState    ? 0.f
                                             : float(cardState->windows.count(0, CountDeclines));

    f[MinutesSincePayoutDestinationChange] = missingValue();
    if (record.kind == PaymentKind::Payout) {
        qint64 changed = -1;
        for (EntityKind kind : {EntityKind::Merchant, EntityKind::Customer}) {
            const EntityState *s = states[int(kind)];
            if (s && s->destinationChangedMs >= 0)
                changed = qMax(changed, s->destinationChangedMs);
        }
        if (changed >= 0)
            f[MinutesSincePayoutDestinationChange] = float(double(nowMs - changed) / MinuteMs);
    }

    computeMerchantLabels(merchant, merchantLabels, f);
}

void FeatureExtractor::State::addSignal(const PaymentRecord &record)
{
    quint64 keys[EntityKindCount] = {};
    std::copy(std::begin(record.entity), std::end(record.entity), keys);
    const auto it = charges.constFind(record.chargeId);
    if (it != charges.constEnd()) {
        keys[int(EntityKind::Card)] = it->card;
        if (it->customer != 0)
            keys[int(EntityKind::Customer)] = it->customer;
        if (it->merchant != 0)
            keys[int(EntityKind::Merchant)] = it->merchant;
    }

    const quint8 flags = record.kind == PaymentKind::Refund ? RefundFlag
        : record.kind == PaymentKind::Dispute              ? DisputeFlag
                                                           : WarningFlag;
    for (EntityKind kind : {EntityKind::Card, EntityKind::Customer, EntityKind::Merchant}) {
        if (keys[int(kind)] == 0)
            continue;
        EntityState &state = obtain(kind, keys[int(kind)]);
        state.windows.advance(nowMs, VelocityWindows);
        state.windows.push({nowMs, 0, flags}, settings.maxEventsPerEntity);
    }

    const quint64 merchant = keys[int(EntityKind::Merchant)];
    if (isFraudSignal(record) && merchant != 0) {
        MerchantLabels &labelState = labels[merchant];
        labelState.lastSeenMs = nowMs;
        labelState.windows.advance(nowMs, LabelWindows);
        labelState.windows.push({nowMs, 0, DisputeFlag}, settings.maxEventsPerEntity);
    }
}

void FeatureExtractor::State::update(const PaymentRecord &record, float amountRatio)
{
    const bool attempt
        = record.kind == PaymentKind::Charge || record.kind == PaymentKind::PaymentFailure;
    const quint64 card = record.key(EntityKind::Card);
    switch (record.kind) {
    case PaymentKind::Refund:
    case PaymentKind::Dispute:
    case PaymentKind::EarlyFraudWarning:
        addSignal(record);
        return;
    case PaymentKind::DestinationChange:
        for (EntityKind kind : {EntityKind::Merchant, EntityKind::Customer}) {
            if (record.key(kind) != 0)
                obtain(kind, record.key(kind)).destinationChangedMs = nowMs;
        }
        return;
    default:
        break;
    }

    quint8 flags = 0;
    if (attempt) {
        flags = AttemptFlag | (record.succeeded ? 0 : DeclinedFlag);
        if (!std::isnan(amountRatio) && amountRatio > HighRatio)
            flags |= HighRatioFlag;
    }
    const float amount = record.amountIsUsd ? float(record.amount) : 0.f;
    for (int e = 0; e < EntityKindCount; ++e) {
        if (record.entity[e] == 0)
            continue;
        // obtain() may evict entities of its own kind only, so the states
        // kept for the other kinds stay valid.
        if (!found[e])
            found[e] = &obtain(EntityKind(e), record.entity[e]);
        EntityState &state = *found[e];
        state.lastSeenMs = nowMs;
        if (flags != 0) {
            state.windows.advance(nowMs, VelocityWindows);
            state.windows.push({nowMs, amount, flags}, settings.maxEventsPerEntity);
        }
        if (card != 0 && e != int(EntityKind::Card) && e != int(EntityKind::Merchant)) {
            auto &cards = state.cards;
            auto found = std::find_if(cards.begin(), cards.end(),
                [card](const auto &entry) { return entry.first == card; });
            if (found == cards.end() && int(cards.size()) >= MaxDistinctCards)
                found = std::min_element(cards.begin(), cards.end(),
                    [](const auto &a, const auto &b) { return a.second < b.second; });
            if (found == cards.end())
                cards.emplace_back(card, nowMs);
            else
                *found = {card, nowMs};
        }
    }

    const EntityKind payerKind
        = record.key(EntityKind::Customer) != 0 ? EntityKind::Customer : EntityKind::Card;
    if (attempt && record.succeeded && record.key(payerKind) != 0) {
        // The loop above found or added the payer.
        EntityState &payer = *found[int(payerKind)];
        payer.historySum += record.amount;
        payer.historyMax = qMax(payer.historyMax, float(record.amount));
        ++payer.historyCount;
    }
    if (record.kind == PaymentKind::Charge)
        rememberCharge(record);
}

FeatureExtractor::FeatureExtractor(const FeatureSettings &settings)
    : m_state(std::make_unique<State>())
{
    m_state->settings = settings;
}

FeatureExtractor::~FeatureExtractor() = default;

const FeatureSettings &FeatureExtractor::settings() const
{
    return m_state->settings;
}

qint64 FeatureExtractor::entityCount() const
{
    qint64 count = 0;
    for (const EntityMap &map : m_state->entities)
        count += qint64(map.size());
    return count;
}

void FeatureExtractor::process(const PaymentRecord &record, FeatureVector *features)
{
    State &s = *m_state;
    s.nowMs = qMax(s.nowMs, record.timeMs);
    if (s.nowMs - s.lastSweepMs >= SweepIntervalMs)
        s.sweep();
    // After the sweep, which may erase entities. Releasing labels changes
    // only the label states.
    s.findStates(record);
    s.releaseLabels();

    FeatureVector local;
    FeatureVector &f = features ? *features : local;
    const bool needRatio = record.kind == PaymentKind::Charge;
    if (features || needRatio)
        s.compute(record, f);
    s.update(record, needRatio ? f[feature::AmountToPayerMeanRatio] : missingValue());
}

} // namespace portcullis::fraud
