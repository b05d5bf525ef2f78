// SPDX-License-Identifier: GPL-3.0-or-later
// The Fraud view's texts, charts and decisions (the layout is in fraudview.cpp).
#include "fraudview.h"

#include "countaxis.h"
#include "fraud/fraudreviewmodel.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QDateTime>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QTableView>
#include <QTableWidget>
#include <QValueAxis>

#include <algorithm>

namespace portcullis {

using fraud::ReviewOutcome;

namespace {

QString utc(qint64 ms, const char *format = "yyyy-MM-dd HH:mm")
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(QLatin1String(format));
}

QString percent(qint64 part, qint64 whole)
{
    return whole > 0 ? QString::number(100.0 * double(part) / double(whole), 'f', 1)
                     : QStringLiteral("0");
}

QString decidedByText(const QString &decidedBy)
{
    if (decidedBy == QLatin1String("rule"))
        return FraudView::tr("a rule");
    if (decidedBy == QLatin1String("model"))
        return FraudView::tr("the model's score");
    return FraudView::tr("the default (no model loaded, no rule matched)");
}

} // namespace

void FraudView::updateSummary()
{
    const fraud::DecisionOverview &o = m_model->overview();
    if (!m_model->isOpen()) {
        m_summary->setText(tr("The fraud figures cannot be read: %1").arg(m_model->lastError()));
        return;
    }
    if (o.total == 0) {
        m_summary->setText(tr(
            "No payment has been scored yet. Payments are scored as payment events arrive from a "
            "backend connection or the demo. A connection loads the model file named by "
            "modelPath in the [fraud] section of %1 when it starts, else the demo model. Write "
            "a model with \"portcullis-cli fraud train -o FILE\". When no model loads, every "
            "score reads \"no model\".").arg(QSettings().fileName()));
        return;
    }
    QString text = tr("%1 payments decided between %2 and %3 UTC: %4 allowed, %5 sent to "
                      "review, %6 blocked by the engine. Analysts have decided %7 of them.")
                       .arg(o.total)
                       .arg(utc(o.firstMs), utc(o.lastMs))
                       .arg(o.byAction[0])
                       .arg(o.byAction[1])
                       .arg(o.byAction[2])
                       .arg(o.reviewed);
    // Unscored payments are among the decided ones, so the counts are split here.
    if (o.unscored > 0)
        text += QLatin1Char(' ')
            + tr("The model scored %1 of them.").arg(o.total - o.unscored) + QLatin1Char(' ')
            + tr("%n carry no score: payouts, which the model does not score, or payments that "
                 "arrived while no model was loaded.",
                  nullptr, int(o.unscored));
    if (m_model->rowCount() == 0)
        text += QLatin1Char(' ') + tr("The review queue is empty: nothing is waiting for a "
                                      "decision.");
    m_summary->setText(text);
}

void FraudView::updateCharts()
{
    const fraud::DecisionOverview &o = m_model->overview();
    m_scoreSet->remove(0, m_scoreSet->count());
    qint64 highest = 0;
    for (qint64 count : o.scoreBuckets) {
        m_scoreSet->append(double(count));
        highest = std::max(highest, count);
    }
    setCountAxisRange(m_scoreValues, double(highest));

    QStringList hours;
    for (QBarSet *set : std::as_const(m_actionSets))
        set->remove(0, set->count());
    qint64 tallest = 0;
    for (const auto &hour : o.perHour) {
        if (hour.first <= o.lastMs - 24 * 3600 * 1000)
            continue;  // two-digit hour labels are unique within one day
        hours << utc(hour.first, "HH");
        for (int action = 0; action < 3; ++action)
            m_actionSets[action]->append(double(hour.second[size_t(action)]));
        tallest = std::max(tallest, hour.second[0] + hour.second[1] + hour.second[2]);
    }
    m_timeAxis->clear();
    m_timeAxis->append(hours);
    setCountAxisRange(m_timeValues, double(tallest));
}

void FraudView::updateQuality()
{
    QStringList parts{tr("Model quality")};
    const auto &evaluation = m_model->evaluation();
    if (evaluation) {
        parts << tr("Latest \"fraud evaluate\" run, %1 UTC, on %2 test payments with %3 frauds "
                    "(%4): ROC AUC %5, average precision %6, card precision at 100 %7. Model: %8.")
                     .arg(utc(evaluation->evaluatedAtMs))
                     .arg(evaluation->testTransactions)
                     .arg(evaluation->testFrauds)
                     .arg(evaluation->dataset)
                     .arg(evaluation->rocAuc, 0, 'f', 3)
                     .arg(evaluation->averagePrecision, 0, 'f', 3)
                     .arg(evaluation->cardPrecisionAt100, 0, 'f', 3)
                     .arg(evaluation->modelVersion);
    } else {
        parts << tr("No \"fraud evaluate\" run is stored. Run \"portcullis-cli fraud evaluate "
                    "FILES\" on labelled payments to measure the model; its figures appear "
                    "here.");
    }
    const fraud::LaterLabelFigures &later = m_model->laterLabels();
    if (later.labelledFrauds > 0) {
        parts << tr("Labels that arrived later (early fraud warnings and disputes for fraud, "
                    "newest %1 UTC): %2 of %3 scored payments were reported as fraud; the engine "
                    "had sent %4 of them (%5%) to review or block. Of the %6 payments it flagged, "
                    "%7% were reported as fraud so far.")
                     .arg(utc(later.newestLabelMs))
                     .arg(later.labelledFrauds)
                     .arg(later.decisions)
                     .arg(later.flaggedFrauds)
                     .arg(percent(later.flaggedFrauds, later.labelledFrauds))
                     .arg(later.flagged)
                     .arg(percent(later.flaggedFrauds, later.flagged));
    } else {
        parts << tr("No fraud label has arrived yet for the %1 scored payments. Early fraud "
                    "warnings and disputes with reason \"fraudulent\" are counted here as they "
                    "come.").arg(later.decisions);
    }
    m_quality->setText(parts.join(QStringLiteral("\n\n")));
}

void FraudView::updateDetail()
{
    const int row = currentRow();
    const fraud::ReviewItem *item = row >= 0 ? m_model->item(row) : nullptr;
    m_history->setRowCount(0);
    if (!item) {
        m_detail->setText(m_model->rowCount() > 0
                              ? tr("Select a payment in the queue to see why it was flagged and "
                                   "the customer's earlier payments.")
                              : tr("No payment is waiting for review."));
        return;
    }
    const fraud::Decision &d = item->decision;
    const fraud::PaymentRecord &p = item->payment;
    QStringList lines;
    lines << tr("Payment %1 at %2 UTC").arg(QString::fromUtf8(d.paymentId), utc(d.timeMs, "yyyy-MM-dd HH:mm:ss"));
    if (item->hasPayment) {
        lines << tr("%1 %2, card %3 issued in %4, from %5 in %6")
                     .arg(fraudMoney(p.amount), p.succeeded ? tr("paid") : tr("declined"),
                          p.cardFingerprint.isEmpty() ? tr("unknown") : p.cardFingerprint,
                          p.cardCountry.isEmpty() ? tr("an unknown country") : p.cardCountry,
                          p.ipAddress.isEmpty() ? tr("an unknown address") : p.ipAddress,
                          p.ipCountry.isEmpty() ? tr("an unknown country") : p.ipCountry);
        lines << tr("Customer: %1; connected account: %2")
                     .arg(p.customerId.isEmpty() ? tr("guest checkout") : p.customerId,
                          p.merchantId.isEmpty() ? tr("none") : p.merchantId);
    } else {
        lines << tr("The payment's event is no longer stored, so its details are not shown.");
    }
    lines << QString();
    lines << (d.score < 0 ? tr("Score: none (no model loaded). Decided by %1: %2.")
                                .arg(decidedByText(d.decidedBy), fraud::fraudActionName(d.action))
                          : tr("Score %1 of 99. Decided by %2: %3.")
                                .arg(d.score)
                                .arg(decidedByText(d.decidedBy), fraud::fraudActionName(d.action)));
    if (!d.reasons.isEmpty()) {
        lines << tr("Why the score is what it is:");
        for (const fraud::DecisionReason &reason : d.reasons)
            lines << QStringLiteral("  - ") + reason.text();
    }
    lines << (d.ruleHits.isEmpty() ? tr("No rule matched.") : tr("Rules that matched:"));
    for (const fraud::RuleHit &hit : d.ruleHits)
        lines << tr("  - line %1: %2").arg(hit.line).arg(hit.rule);

    const fraud::CustomerHistory history = m_model->history(row);
    lines << QString();
    lines << tr("Earlier payments of this customer or card: %1 charges (%2 declined, %3 paid), "
                "%4 refunds, %5 disputes, %6 early fraud warnings.")
                 .arg(history.charges)
                 .arg(history.declined)
                 .arg(fraudMoney(history.paidAmount))
                 .arg(history.refunds)
                 .arg(history.disputes)
                 .arg(history.warnings);
    m_detail->setText(lines.join(QLatin1Char('\n')));
    m_history->setRowCount(int(history.entries.size()));
    for (int i = 0; i < history.entries.size(); ++i) {
        const fraud::HistoryEntry &entry = history.entries[i];
        const QStringList cells{utc(entry.timeMs, "yyyy-MM-dd HH:mm:ss"), entry.action,
                                fraudMoney(entry.amount), entry.detail};
        for (int column = 0; column < cells.size(); ++column)
            m_history->setItem(i, column, new QTableWidgetItem(cells[column]));
    }
}

void FraudView::updateButtons()
{
    const int row = currentRow();
    const fraud::ReviewItem *item = row >= 0 ? m_model->item(row) : nullptr;
    for (int i = 0; i < m_buttons.size(); ++i) {
        const auto outcome = ReviewOutcome(i);
        const bool allowed = m_model->mayDecide(outcome);
        bool usable = item && item->hasPayment;
        if (outcome == ReviewOutcome::BlockCard)
            usable = usable && !item->payment.cardFingerprint.isEmpty();
        if (outcome == ReviewOutcome::BlockCustomer)
            usable = usable && !item->payment.customerId.isEmpty();
        m_buttons[i]->setEnabled(allowed && usable);
        m_buttons[i]->setToolTip(allowed ? QString()
                                         : tr("Your role may not do this: approving and refunding "
                                              "need triage rights (analyst), blocking needs a "
                                              "responder."));
    }
}

void FraudView::decide(ReviewOutcome outcome)
{
    const int row = currentRow();
    const fraud::ReviewItem *item = row >= 0 ? m_model->item(row) : nullptr;
    if (!item)
        return;
    if (outcome == ReviewOutcome::BlockCard || outcome == ReviewOutcome::BlockCustomer) {
        const QString target = outcome == ReviewOutcome::BlockCard
            ? tr("card %1").arg(item->payment.cardFingerprint)
            : tr("customer %1").arg(item->payment.customerId);
        QMessageBox box(QMessageBox::Question, tr("Block"),
                        tr("Block %1? Later payments with it are blocked by the rules that read "
                           "the block lists.").arg(target),
                        QMessageBox::Yes | QMessageBox::Cancel, this);
        box.setTextFormat(Qt::PlainText);
        if (box.exec() != QMessageBox::Yes)
            return;
    }
    m_model->decide(row, outcome, QString());
}

} // namespace portcullis
