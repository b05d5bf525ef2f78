// SPDX-License-Identifier: GPL-3.0-or-later
#include "alertsview.h"

#include "alertfilterbar.h"
#include "alerttablemodel.h"
#include "displaytext.h"

#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QItemSelection>
#include <QLabel>
#include <QMenu>
#include <QScrollBar>
#include <QSignalBlocker>
#include <QTableView>
#include <QVBoxLayout>

namespace portcullis {

AlertsView::AlertsView(AlertTableModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    m_filterBar = new AlertFilterBar(this);
    layout->addWidget(m_filterBar);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("alertTable"));
    layout->addWidget(m_table, 1);
    setUpTable();
    setFocusProxy(m_table);

    connect(m_filterBar, &AlertFilterBar::severitiesChanged, m_model,
        &AlertTableModel::setSeverityFilter);
    connect(
        m_filterBar, &AlertFilterBar::statusesChanged, m_model, &AlertTableModel::setStatusFilter);
    connect(
        m_filterBar, &AlertFilterBar::searchTextChanged, m_model, &AlertTableModel::setTextFilter);

    connect(m_model, &AlertTableModel::queryAboutToChange, this, &AlertsView::rememberSelection);
    connect(m_model, &AlertTableModel::queryChanged, this, &AlertsView::restoreSelection);

    m_emptyHint = new QLabel(m_table->viewport());
    m_emptyHint->setTextFormat(Qt::PlainText);
    m_emptyHint->setAlignment(Qt::AlignCenter);
    m_emptyHint->setWordWrap(true);
    m_emptyHint->setEnabled(false);
    connect(m_model, &AlertTableModel::queryChanged, this, &AlertsView::updateEmptyHint);
    updateEmptyHint();
}

// Says why the table is empty, so an empty list is never mistaken for a quiet night.
void AlertsView::updateEmptyHint()
{
    const bool empty = m_model->matchingCount() == 0;
    m_emptyHint->setVisible(empty);
    if (!empty)
        return;

    const AlertQuery query = m_model->query();
    const bool filtered
        = !query.text.isEmpty() || !query.severities.isEmpty() || !query.statuses.isEmpty();
    m_emptyHint->setText(filtered
            ? tr("No alerts match the filter. Widen the severity and status "
                 "buttons or clear the search (Esc in the search field).")
            : tr("No alerts yet. Import logs with File > Import logs (Ctrl+I)."));
    m_emptyHint->setGeometry(m_table->viewport()->rect().adjusted(20, 20, -20, -20));
}

void AlertsView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    m_emptyHint->setGeometry(m_table->viewport()->rect().adjusted(20, 20, -20, -20));
}

void AlertsView::setUpTable()
{
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->setShowGrid(false);
    m_table->setTabKeyNavigation(false);

    // Fixed row heights: the view never measures rows, so the cost of
    // scrolling does not grow with the row count.
    QHeaderView *rows = m_table->verticalHeader();
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    rows->hide();

    QHeaderView *columns = m_table->horizontalHeader();
    columns->setSectionsMovable(true);
    columns->setHighlightSections(false);
    columns->setStretchLastSection(true);
    columns->setSortIndicator(m_model->sortColumn(), m_model->sortOrder());
    columns->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_table->setSortingEnabled(true);
    setDefaultColumnWidths();
    connect(columns, &QHeaderView::sortIndicatorChanged, this, &AlertsView::onSortIndicatorChanged);

    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QWidget::customContextMenuRequested, this, &AlertsView::showContextMenu);

    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &AlertsView::selectionChanged);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &AlertsView::reportCurrentAlert);
}

// Widths from the font, so that dates, counts, severity names and the
// translated header texts fit unelided.
void AlertsView::setDefaultColumnWidths()
{
    const QFontMetrics metrics = m_table->fontMetrics();
    const QFontMetrics headerMetrics = m_table->horizontalHeader()->fontMetrics();
    const auto setWidth = [&](int column, const char *sample, int extra = 0) {
        const QString header = m_model->headerData(column, Qt::Horizontal).toString();
        const int sampleWidth = metrics.horizontalAdvance(QLatin1String(sample)) + extra;
        const int headerWidth = headerMetrics.horizontalAdvance(header) + 24; // sort arrow
        m_table->setColumnWidth(column, qMax(sampleWidth, headerWidth) + 16);
    };
    setWidth(AlertTableModel::SeverityColumn, "Critical", 24); // with the colour swatch
    setWidth(AlertTableModel::StatusColumn, "Closed: False positive");
    setWidth(AlertTableModel::TitleColumn, "Credential stuffing or user enumeration");
    setWidth(AlertTableModel::RuleColumn, "success-after-failures");
    setWidth(AlertTableModel::EntitiesColumn,
        "203.0.113.200  ·  user.name: root, admin, ubnt, +25 more");
    setWidth(AlertTableModel::EventsColumn, "100000");
    setWidth(AlertTableModel::FirstSeenColumn, "2026-12-04 23:59:59");
    setWidth(AlertTableModel::LastSeenColumn, "2026-12-04 23:59:59");
}

// Entities have no sort key in the store: put the indicator back.
void AlertsView::onSortIndicatorChanged(int column, Qt::SortOrder order)
{
    Q_UNUSED(order)
    if (AlertTableModel::isSortable(column))
        return;
    QHeaderView *header = m_table->horizontalHeader();
    const QSignalBlocker blocker(header);
    header->setSortIndicator(m_model->sortColumn(), m_model->sortOrder());
}

// The triage actions, then pivots on the clicked value and copying.
void AlertsView::showContextMenu(const QPoint &position)
{
    const QModelIndex index = m_table->indexAt(position);
    QMenu menu(this);
    for (QAction *action : actions()) {
        if (action->isVisible())
            menu.addAction(action);
    }

    const QString value = pivotValue(index);
    if (!value.isEmpty()) {
        menu.addSeparator();
        // Menu texts treat '&' as a mnemonic marker, so it is doubled.
        QString shown
            = displayText(value.size() > 40 ? value.left(40) + QStringLiteral("...") : value);
        shown.replace(QLatin1Char('&'), QStringLiteral("&&"));
        menu.addAction(tr("Show only alerts containing \"%1\"").arg(shown), this,
            [this, value] { m_filterBar->setSearchText(value); });
    }
    menu.addSeparator();
    QAction *copy = menu.addAction(tr("Copy selected rows"), this, &AlertsView::copySelectedRows);
    copy->setEnabled(m_table->selectionModel()->hasSelection());
    menu.exec(m_table->viewport()->mapToGlobal(position));
}

// The value a pivot searches for: the title, the rule id, or the first
// source address (else user name) of the entities column. Other columns
// give none, because counts, dates and states are not in the searched text.
QString AlertsView::pivotValue(const QModelIndex &index) const
{
    const Alert *alert = index.isValid() ? m_model->alertAt(index.row()) : nullptr;
    if (!alert)
        return QString();

    switch (index.column()) {
    case AlertTableModel::TitleColumn:
        return alert->title;
    case AlertTableModel::RuleColumn:
        return alert->ruleId;
    case AlertTableModel::EntitiesColumn: {
        const QStringList addresses = alert->entities.value(QStringLiteral("source.ip"));
        if (!addresses.isEmpty())
            return addresses.first();
        const QStringList users = alert->entities.value(QStringLiteral("user.name"));
        return users.value(0).trimmed();
    }
    default:
        return QString();
    }
}

// Copies the selected rows as tab-separated text with a header line, as the
// table shows them (escaped, never markup).
void AlertsView::copySelectedRows() const
{
    QStringList lines;
    QStringList header;
    for (int column = 0; column < AlertTableModel::ColumnCount; ++column)
        header << m_model->headerData(column, Qt::Horizontal).toString();
    lines << header.join(QLatin1Char('\t'));

    QModelIndexList rows = m_table->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end());
    for (const QModelIndex &row : rows) {
        QStringList cells;
        for (int column = 0; column < AlertTableModel::ColumnCount; ++column)
            cells << m_model->index(row.row(), column).data().toString();
        lines << cells.join(QLatin1Char('\t'));
    }
    QApplication::clipboard()->setText(lines.join(QLatin1Char('\n')));
}

QVector<qint64> AlertsView::selectedAlertIds() const
{
    QVector<qint64> ids;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    ids.reserve(rows.size());
    for (const QModelIndex &index : rows)
        ids << m_model->alertId(index.row());
    std::sort(ids.begin(), ids.end());
    return ids;
}

qint64 AlertsView::currentAlertId() const
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    return current.isValid() ? m_model->alertId(current.row()) : 0;
}

bool AlertsView::selectAlert(qint64 alertId)
{
    const int row = m_model->rowOfAlert(alertId);
    if (row < 0)
        return false;
    selectRow(row);
    return true;
}

void AlertsView::selectRow(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    const QModelIndex index = m_model->index(row, AlertTableModel::TitleColumn);
    m_table->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(index);
}

void AlertsView::selectNext()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    const int next = current.isValid() ? current.row() + 1 : 0;
    if (next >= m_model->rowCount() && m_model->canFetchMore(QModelIndex()))
        m_model->fetchMore(QModelIndex());
    selectRow(qMin(next, m_model->rowCount() - 1));
}

void AlertsView::selectPrevious()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    selectRow(current.isValid() ? qMax(0, current.row() - 1) : 0);
}

void AlertsView::selectAllMatching()
{
    while (m_model->canFetchMore(QModelIndex()))
        m_model->fetchMore(QModelIndex());
    m_table->selectAll();
}

void AlertsView::rememberSelection()
{
    m_savedSelection = selectedAlertIds();
    m_savedCurrent = currentAlertId();
    m_savedScroll = m_table->verticalScrollBar()->value();
    m_selectionSaved = true;
}

// The model emits queryChanged() without queryAboutToChange() when a refresh
// finds the same rows, and then the selection model still contains the selection.
void AlertsView::restoreSelection()
{
    if (!m_selectionSaved)
        return;
    m_selectionSaved = false;

    QItemSelection selection;
    for (const qint64 id : std::as_const(m_savedSelection)) {
        const int row = m_model->rowOfAlert(id);
        if (row >= 0)
            selection.select(
                m_model->index(row, 0), m_model->index(row, AlertTableModel::ColumnCount - 1));
    }

    QItemSelectionModel *selectionModel = m_table->selectionModel();
    const int currentRow = m_savedCurrent != 0 ? m_model->rowOfAlert(m_savedCurrent) : -1;
    if (currentRow >= 0) {
        selectionModel->setCurrentIndex(m_model->index(currentRow, AlertTableModel::TitleColumn),
            QItemSelectionModel::NoUpdate);
    }
    selectionModel->select(selection, QItemSelectionModel::ClearAndSelect);
    m_table->verticalScrollBar()->setValue(m_savedScroll);

    m_savedSelection.clear();
    m_savedCurrent = 0;
    reportCurrentAlert();
}

// The selection model stays silent on a model reset, so a reset that drops
// the current alert is reported here.
void AlertsView::reportCurrentAlert()
{
    const qint64 id = currentAlertId();
    if (id == m_lastReportedCurrent)
        return;
    m_lastReportedCurrent = id;
    Q_EMIT currentAlertChanged(id);
}

QByteArray AlertsView::saveState() const
{
    return m_table->horizontalHeader()->saveState();
}

void AlertsView::restoreState(const QByteArray &state)
{
    QHeaderView *header = m_table->horizontalHeader();
    if (state.isEmpty() || !header->restoreState(state))
        return;

    // restoreState() sets the indicator without sorting: apply it to the query.
    if (!AlertTableModel::isSortable(header->sortIndicatorSection()))
        header->setSortIndicator(AlertTableModel::SeverityColumn, Qt::DescendingOrder);
    m_model->sort(header->sortIndicatorSection(), header->sortIndicatorOrder());
}

} // namespace portcullis
