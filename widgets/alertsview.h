// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QVector>
#include <QWidget>

class QLabel;
class QTableView;

namespace portcullis {

class AlertFilterBar;
class AlertTableModel;

// The alert list: a filter bar over a table of AlertTableModel. Keeps the
// selection and the current alert (by id) across re-queries.
class AlertsView : public QWidget {
    Q_OBJECT

public:
    explicit AlertsView(AlertTableModel *model, QWidget *parent = nullptr);

    AlertTableModel *model() const { return m_model; }
    QTableView *tableView() const { return m_table; }
    AlertFilterBar *filterBar() const { return m_filterBar; }

    QVector<qint64> selectedAlertIds() const;
    qint64 currentAlertId() const; // 0 when no row is current

    // Selects the row of `alertId` alone and makes it current; false when the
    // alert does not match the filter.
    bool selectAlert(qint64 alertId);
    void selectRow(int row);
    // Moves to the next (previous) row, fetching more rows at the end.
    void selectNext();
    void selectPrevious();
    // Fetches every matching row and selects them all, for bulk actions on
    // the whole query rather than the rows scrolled into view.
    void selectAllMatching();

    QByteArray saveState() const; // header layout and sort
    void restoreState(const QByteArray &state);

Q_SIGNALS:
    void currentAlertChanged(qint64 alertId);
    void selectionChanged();

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void updateEmptyHint();
    void showContextMenu(const QPoint &position);
    QString pivotValue(const QModelIndex &index) const;
    void copySelectedRows() const;
    void setUpTable();
    void setDefaultColumnWidths();
    void rememberSelection();
    void restoreSelection();
    void reportCurrentAlert();
    void onSortIndicatorChanged(int column, Qt::SortOrder order);

    AlertTableModel *m_model = nullptr;
    AlertFilterBar *m_filterBar = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_emptyHint = nullptr;

    QVector<qint64> m_savedSelection;
    qint64 m_savedCurrent = 0;
    int m_savedScroll = 0;
    bool m_selectionSaved = false; // set between queryAboutToChange() and queryChanged()
    qint64 m_lastReportedCurrent = -1;
};

} // namespace portcullis
