// SPDX-License-Identifier: GPL-3.0-or-later
#include "fraudreviewmodel.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QLocale>

namespace portcullis {

using fraud::FraudAction;
using fraud::ReviewItem;

QString fraudMoney(double amount)
{
    // The sign in front, as US dollars are written, in any locale.
    return QLatin1Char('$') + QLocale().toString(amount, 'f', 2);
}

FraudReviewModel::FraudReviewModel(const QString &databasePath, const Identity &identity,
                                   QObject *parent)
    : QAbstractTableModel(parent)
    , m_identity(identity)
{
    if (!m_db.open(databasePath, &m_lastError))
        return;
    refresh();
}

int FraudReviewModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

int FraudReviewModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

const ReviewItem *FraudReviewModel::item(int row) const
{
    return row >= 0 && row < m_items.size() ? &m_items[row] : nullptr;
}

QString FraudReviewModel::statusText(const ReviewItem &item) const
{
    if (item.reviewOutcome.isEmpty())
        return tr("open");
    return tr("%1 by %2").arg(item.reviewOutcome, item.reviewedBy);
}

QVariant FraudReviewModel::data(const QModelIndex &index, int role) const
{
    const ReviewItem *entry = item(index.row());
    if (!entry)
        return QVariant();
    const fraud::Decision &d = entry->decision;
    const fraud::PaymentRecord &p = entry->payment;
    if (role == Qt::ForegroundRole && index.column() == ActionColumn)
        return d.action == FraudAction::Block ? QBrush(QColor(0xb0, 0x1c, 0x1c)) : QVariant();
    if (role == Qt::TextAlignmentRole
        && (index.column() == ScoreColumn || index.column() == AmountColumn))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return QVariant();
    switch (index.column()) {
    case TimeColumn:
        return QDateTime::fromMSecsSinceEpoch(d.timeMs, Qt::UTC)
            .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case ScoreColumn:
        return d.score < 0 ? tr("no model") : QString::number(d.score);
    case ActionColumn:
        return d.action == FraudAction::Block ? tr("block") : tr("review");
    case AmountColumn:
        return entry->hasPayment ? fraudMoney(p.amount) : QString();
    case CardColumn:
        if (!entry->hasPayment || p.cardFingerprint.isEmpty())
            return QString();
        return p.cardCountry.isEmpty() ? p.cardFingerprint
                                       : tr("%1 (%2)").arg(p.cardFingerprint, p.cardCountry);
    case CustomerColumn:
        return entry->hasPayment && !p.customerId.isEmpty() ? p.customerId : tr("guest");
    case AddressColumn:
        if (!entry->hasPayment)
            return QString();
        return p.ipCountry.isEmpty() ? p.ipAddress : tr("%1 (%2)").arg(p.ipAddress, p.ipCountry);
    case AccountColumn:
        return entry->hasPayment ? p.merchantId : QString();
    case ReasonColumn:
        if (!d.ruleHits.isEmpty())
            return tr("rule: %1").arg(d.ruleHits.first().rule);
        return d.reasons.isEmpty() ? QString() : d.reasons.first().text();
    case StatusColumn:
        return statusText(*entry);
    default:
        return QVariant();
    }
}

QVariant FraudReviewModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn: return tr("Time (UTC)");
    case ScoreColumn: return tr("Score");
    case ActionColumn: return tr("Engine");
    case AmountColumn: return tr("Amount");
    case CardColumn: return tr("Card (issuer country)");
    case CustomerColumn: return tr("Customer");
    case AddressColumn: return tr("IP address (country)");
    case AccountColumn: return tr("Connected account");
    case ReasonColumn: return tr("Main reason");
    case StatusColumn: return tr("Review");
    default: return QVariant();
    }
}

void FraudReviewModel::loadPage(int offset, QList<ReviewItem> *items)
{
    QString error;
    fraud::ReviewQueries queries(m_db);
    *items = queries.queue(offset, PageSize, m_showReviewed, &error);
    if (!error.isEmpty())
        m_lastError = error;
    m_more = items->size() == PageSize;
}

bool FraudReviewModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_more;
}

void FraudReviewModel::fetchMore(const QModelIndex &parent)
{
    if (parent.isValid() || !m_more)
        return;
    QList<ReviewItem> page;
    loadPage(int(m_items.size()), &page);
    if (page.isEmpty())
        return;
    beginInsertRows(QModelIndex(), int(m_items.size()), int(m_items.size() + page.size() - 1));
    m_items += page;
    endInsertRows();
}

void FraudReviewModel::setShowReviewed(bool show)
{
    if (m_showReviewed == show)
        return;
    m_showReviewed = show;
    refresh();
}

void FraudReviewModel::refresh()
{
    if (!m_db.isOpen())
        return;
    m_lastError.clear();
    QList<ReviewItem> page;
    loadPage(0, &page);
    beginResetModel();
    m_items = page;
    endResetModel();

    fraud::ReviewQueries queries(m_db);
    QString error;
    m_overview = queries.overview(&error);
    m_laterLabels = queries.laterLabels(&error);
    m_evaluation = fraud::FraudStore(m_db).latestEvaluation(&error);
    if (!error.isEmpty())
        m_lastError = error;
    Q_EMIT figuresChanged();
}

fraud::CustomerHistory FraudReviewModel::history(int row)
{
    const ReviewItem *entry = item(row);
    if (!entry || !entry->hasPayment)
        return {};
    QString error;
    return fraud::ReviewQueries(m_db).history(entry->userId, entry->payment.customerId,
                                              entry->payment.cardFingerprint,
                                              entry->decision.timeMs, 50, &error);
}

bool FraudReviewModel::mayDecide(fraud::ReviewOutcome outcome) const
{
    return hasPermission(m_identity, fraud::ReviewService::permissionFor(outcome));
}

bool FraudReviewModel::decide(int row, fraud::ReviewOutcome outcome, const QString &note)
{
    const ReviewItem *entry = item(row);
    if (!entry) {
        m_lastError = tr("Select a payment in the review queue first.");
        Q_EMIT decisionFailed(m_lastError);
        return false;
    }
    fraud::ReviewRequest request;
    request.outcome = outcome;
    request.paymentId = entry->decision.paymentId;
    request.cardFingerprint = entry->payment.cardFingerprint;
    request.customerId = entry->payment.customerId;
    request.note = note;
    QString error;
    if (!fraud::ReviewService(m_db).decide(m_identity, request, &error)) {
        m_lastError = error;
        Q_EMIT decisionFailed(error);
        return false;
    }
    refresh();
    return true;
}

} // namespace portcullis
