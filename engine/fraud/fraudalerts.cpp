// SPDX-License-Identifier: GPL-3.0-or-later
#include "fraud/fraudalerts.h"

#include "core/logging.h"
#include "detect/detectorsupport.h"
#include "fraud/fraudalertssupport.h"

#include <QCoreApplication>
#include <QLocale>

#include <algorithm>

namespace portcullis::fraud {

namespace alerts {

namespace {

// Charges remembered for the refunds, disputes and warnings that name them.
constexpr int MaxRememberedCharges = 200000;
// State is swept of idle entities at most this often (event time).
constexpr qint64 SweepIntervalMs = 3600LL * 1000;

template<typename T, typename Idle>
void eraseIdle(Table<T> &table, const Idle &idle)
{
    for (auto it = table.begin(); it != table.end();) {
        if (idle(it->second))
            it = table.erase(it);
        else
            ++it;
    }
}

} // namespace

const QString FinancialTheft = QStringLiteral("T1657");

QString tr(const char *text)
{
    return QCoreApplication::translate("portcullis::fraud", text);
}

bool isAttempt(const PaymentRecord &record)
{
    return record.kind == PaymentKind::Charge || record.kind == PaymentKind::PaymentFailure;
}

void seedEvidence(Alert &alert, std::vector<Mark> marks)
{
    std::stable_sort(marks.begin(), marks.end(),
                     [](const Mark &a, const Mark &b) { return a.timeMs < b.timeMs; });
    for (const Mark &mark : marks)
        detect::appendEvidence(alert.evidence, mark.eventId);
    alert.eventCount = qint64(marks.size());
    if (!marks.empty())
        alert.firstSeenMs = std::min(alert.firstSeenMs, marks.front().timeMs);
}

void addEvent(Alert &alert, const QByteArray &eventId)
{
    detect::appendEvidence(alert.evidence, eventId);
    ++alert.eventCount;
}

bool burstRunning(const Burst &burst, qint64 nowMs, qint64 quietMs)
{
    return burst.active && nowMs - burst.alert.lastSeenMs <= quietMs;
}

std::vector<Mark> marksOf(const std::deque<Attempt> &attempts)
{
    std::vector<Mark> marks;
    marks.reserve(attempts.size());
    for (const Attempt &attempt : attempts)
        marks.push_back({attempt.timeMs, attempt.eventId, attempt.amount});
    return marks;
}

Attempt attemptOf(const DetectorState &state, const PaymentRecord &record)
{
    return {state.nowMs, record.key(EntityKind::Card), record.amount, !record.succeeded,
            record.eventId};
}

QString money(double amount)
{
    return QLatin1Char('$') + QLocale::c().toString(amount, 'f', 2).replace(QLatin1String(","), QString());
}

bool DetectorState::touch(Burst &burst, const char *ruleId, const QString &group, qint64 quietMs,
                          AlertSink &sink)
{
    if (burst.active && nowMs - burst.alert.lastSeenMs > quietMs) {
        if (burst.dirty)
            sink.upsertAlert(burst.alert);
        burst.dirty = false;
        burst.active = false;
    }
    const bool started = !burst.active;
    if (started) {
        burst.alert = Alert();
        burst.alert.ruleId = QLatin1String(ruleId);
        burst.alert.key = detect::alertKey(burst.alert.ruleId, group, nowMs);
        burst.alert.firstSeenMs = nowMs;
        burst.active = true;
    }
    burst.alert.lastSeenMs = std::max(burst.alert.lastSeenMs, nowMs);
    markDirty(burst);
    return started;
}

void DetectorState::sweep(const FraudAlertSettings &settings, AlertSink &sink)
{
    auto closeIdle = [&sink](Burst &burst) {
        if (burst.active && burst.dirty)
            sink.upsertAlert(burst.alert);
        burst.dirty = false;
    };
    const qint64 testingHorizon = nowMs - 2 * settings.cardTestingWindowMs;
    for (auto &table : testing) {
        eraseIdle(table, [&](AttemptTrack &track) {
            const bool idle = track.lastSeenMs < testingHorizon;
            if (idle)
                closeIdle(track.burst);
            return idle;
        });
    }
    eraseIdle(mismatch, [&](AttemptTrack &track) {
        const bool idle = track.lastSeenMs < nowMs - 2 * settings.mismatchWindowMs;
        if (idle)
            closeIdle(track.burst);
        return idle;
    });
    eraseIdle(customers, [&](CustomerState &customer) {
        const bool idle = customer.lastSeenMs < nowMs - settings.historyWindowMs;
        if (idle) {
            closeIdle(customer.refundBurst);
            closeIdle(customer.friendlyBurst);
        }
        return idle;
    });
    const qint64 merchantIdle = 2 * std::max(settings.payoutAfterChangeMs, settings.fakeWindowMs);
    eraseIdle(merchants, [&](MerchantState &merchant) {
        const bool idle = merchant.lastSeenMs < nowMs - merchantIdle;
        if (idle) {
            closeIdle(merchant.payoutBurst);
            closeIdle(merchant.fakeBurst);
        }
        return idle;
    });
    eraseIdle(cards, [&](const CardHistory &card) {
        return card.lastSeenMs < nowMs - settings.historyWindowMs;
    });
}

} // namespace alerts

using namespace alerts;

struct FraudAlertDetector::State : DetectorState
{
};

FraudAlertDetector::FraudAlertDetector(std::unique_ptr<FraudEngine> engine,
                                       const FraudAlertSettings &settings)
    : m_engine(engine ? std::move(engine) : std::make_unique<FraudEngine>())
    , m_settings(settings)
    , m_state(std::make_unique<State>())
{
}

FraudAlertDetector::~FraudAlertDetector() = default;

QStringList FraudAlertDetector::patternRuleIds()
{
    return {QLatin1String(CardTestingRule), QLatin1String(PayoutTakeoverRule),
            QLatin1String(RefundAbuseRule), QLatin1String(FriendlyFraudRule),
            QLatin1String(CountryMismatchRule), QLatin1String(FakeBookingsRule)};
}

namespace {

QString userIdOf(const Event &event)
{
    return event.extra.value(QStringLiteral("user.id")).toString();
}

void rememberCharge(DetectorState &state, const Context &context)
{
    const PaymentRecord &record = context.record;
    if (record.id.isEmpty())
        return;
    ChargeInfo info;
    info.customer = context.customer;
    info.merchant = context.merchant;
    info.card = record.key(EntityKind::Card);
    info.amount = record.amount;
    info.timeMs = state.nowMs;
    info.paid = record.succeeded;
    info.newCard = context.newCard;
    if (!state.charges.contains(record.id))
        state.chargeOrder.push_back(record.id);
    state.charges.insert(record.id, info);
    while (int(state.chargeOrder.size()) > MaxRememberedCharges) {
        state.charges.remove(state.chargeOrder.front());
        state.chargeOrder.pop_front();
    }
}

// Records the attempt's card and sets, in the context, whether the platform
// first saw it within `newCardMs` and whether the attempt's customer paid
// with it before.
void noteCard(DetectorState &state, Context *context, qint64 newCardMs)
{
    const quint64 card = context->record.key(EntityKind::Card);
    if (card == 0)
        return;
    CardHistory &history = state.cards.try_emplace(card, CardHistory{state.nowMs, 0, 0})
                               .first->second;
    history.lastSeenMs = state.nowMs;
    context->newCard = state.nowMs - history.firstSeenMs < newCardMs;
    const quint64 customer = context->customer.isEmpty() ? 0 : entityKey(context->customer);
    context->cardOnFile = customer != 0 && history.paidBy == customer;
    if (customer != 0 && context->record.succeeded)
        history.paidBy = customer;
}

} // namespace

void FraudAlertDetector::processEvent(const Event &event, AlertSink &sink)
{
    PaymentRecord record;
    if (!paymentFromEvent(event, &record))
        return;
    State &state = *m_state;
    state.nowMs = std::max(state.nowMs, record.timeMs);

    Context context{m_settings, record, userIdOf(event), record.merchantId, nullptr};
    if (!record.chargeId.isEmpty()) {
        const auto it = state.charges.constFind(record.chargeId);
        if (it != state.charges.constEnd()) {
            context.charge = &it.value();
            context.customer = it->customer;
            if (context.merchant.isEmpty())
                context.merchant = it->merchant;
        }
    }
    if (context.customer.isEmpty())
        context.customer = record.customerId;

    switch (record.kind) {
    case PaymentKind::Charge:
    case PaymentKind::PaymentFailure: {
        noteCard(state, &context, m_settings.fakeNewCardMs);
        if (record.kind == PaymentKind::Charge)
            rememberCharge(state, context);
        cardTesting(state, context, sink);
        countryMismatch(state, context, sink);
        if (context.newCard)
            fakeBookings(state, context, sink);
        if (record.succeeded && !context.customer.isEmpty())
            friendlyFraud(state, context, sink);  // counts the paid charge
        break;
    }
    case PaymentKind::Refund:
        refundAbuse(state, context, sink);
        fakeBookings(state, context, sink);
        break;
    case PaymentKind::Dispute:
        friendlyFraud(state, context, sink);
        refundAbuse(state, context, sink);
        fakeBookings(state, context, sink);
        break;
    case PaymentKind::EarlyFraudWarning:
        fakeBookings(state, context, sink);
        break;
    case PaymentKind::Payout:
    case PaymentKind::DestinationChange:
        payoutTakeover(state, context, sink);
        break;
    case PaymentKind::SetupIntent:
    case PaymentKind::Other:
        break;
    }

    Decision decision = m_engine->process(record);
    if (!m_keepDecisions || !isScored(record.kind))
        return;
    if (decision.eventId.isEmpty())
        decision.eventId = event.id;
    if (m_decisions.size() >= m_settings.maxPendingDecisions) {
        m_decisions.removeFirst();
        ++m_droppedDecisions;
    }
    m_decisions.append(std::move(decision));
}

void FraudAlertDetector::flush(AlertSink &sink)
{
    State &state = *m_state;
    for (Burst *burst : state.dirty) {
        if (burst->dirty)
            sink.upsertAlert(burst->alert);
        burst->dirty = false;
    }
    state.dirty.clear();
    if (state.nowMs - state.lastSweepMs >= SweepIntervalMs) {
        state.sweep(m_settings, sink);
        state.lastSweepMs = state.nowMs;
    }
}

void FraudAlertDetector::finish(AlertSink &sink)
{
    flush(sink);
}

QVector<Decision> FraudAlertDetector::takeDecisions()
{
    QVector<Decision> taken;
    taken.swap(m_decisions);
    return taken;
}

} // namespace portcullis::fraud
