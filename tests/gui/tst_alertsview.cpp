// SPDX-License-Identifier: GPL-3.0-or-later
// The main window over a store filled by importing a real auth log: selection,
// evidence, triage through the actions and their shortcuts, and filtering.
// The functions share one database and run in order: later ones build on the
// triage state that earlier ones left.
#include "alertdetailpane.h"
#include "alertfilterbar.h"
#include "alertsview.h"
#include "alerttablemodel.h"
#include "guitestutil.h"
#include "historymodel.h"
#include "ingest/fileimporter.h"
#include "mainwindow.h"
#include "security/accounts.h"
#include "triageactions.h"
#include "triagedialogs.h"

#include <QAction>
#include <QApplication>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolButton>
#include <QtTest>

using namespace portcullis;

namespace {

const QString AuthLog = QStringLiteral(PORTCULLIS_DATA_DIR "/auth/openssh_2k.log");

// Runs `fill` on the next modal dialog of type Dialog, then accepts it.
template<typename Dialog> void answerNextDialog(const std::function<void(Dialog *)> &fill)
{
    auto *timer = new QTimer;
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, fill] {
        auto *dialog = qobject_cast<Dialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        timer->stop();
        timer->deleteLater();
        fill(dialog);
        dialog->accept();
    });
    timer->start();
}

} // namespace

class TestAlertsView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void titleNamesDatabase();
    void selectingShowsEvidence();
    void acknowledgeShortcutChangesStore();
    void closeDialogStoresDisposition();
    void reopenRestoresOpenState();
    void assignStoresAssignee();
    void bulkAcknowledgeSkipsNonOpen();
    void selectionSurvivesRefresh();
    void selectionSurvivesUnchangedRefresh();
    void nextAndPreviousKeys();
    void searchAppliesAfterTyping();
    void typingInSearchTriggersNoAction();
    void triageHiddenWithoutPermission();
    void severityButtonsShowCounts();

private:
    Alert storedAlert(qint64 id) { return *m_store.alertById(id); }
    void selectRows(const QList<int> &rows);

    QTemporaryDir m_dir;
    QString m_databasePath;
    Store m_store;
    std::unique_ptr<MainWindow> m_window;
};

void TestAlertsView::initTestCase()
{
    if (!QFile::exists(AuthLog))
        QSKIP("The shared log corpus is missing; set PORTCULLIS_DATA_DIR to its folder.");
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    m_databasePath = m_dir.filePath(QStringLiteral("console.db"));

    QString error;
    QVERIFY2(m_store.open(m_databasePath, &error), qPrintable(error));
    ImportService importer(m_store);
    ImportSummary summary;
    QVERIFY2(
        importer.importFiles(testing::analyst(), { AuthLog }, &summary, &error), qPrintable(error));
    QVERIFY2(m_store.countAlerts(AlertQuery()) >= 5, "the auth log should raise several alerts");
    // Alerts are assigned only to active console users.
    QVERIFY2(AccountService(m_store.database())
                 .createFirstAdministrator(
                     QStringLiteral("bob"), QStringLiteral("violet tractor harbour 42"), &error),
        qPrintable(error));
}

void TestAlertsView::init()
{
    m_window = std::make_unique<MainWindow>(m_databasePath, testing::analyst());
    QVERIFY2(m_window->isDatabaseOpen(), qPrintable(m_window->databaseError()));
    m_window->setErrorDialogsEnabled(false);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    m_window->alertsView()->tableView()->setFocus();
}

void TestAlertsView::cleanup()
{
    m_window.reset();
}

void TestAlertsView::selectRows(const QList<int> &rows)
{
    QTableView *table = m_window->alertsView()->tableView();
    table->clearSelection();
    for (const int row : rows) {
        table->selectionModel()->select(
            table->model()->index(row, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    }
}

void TestAlertsView::titleNamesDatabase()
{
    QVERIFY(m_window->windowTitle().startsWith(QStringLiteral("Portcullis — ")));
    QVERIFY(m_window->windowTitle().endsWith(QStringLiteral("console.db")));
}

void TestAlertsView::selectingShowsEvidence()
{
    AlertsView *view = m_window->alertsView();
    view->selectRow(0);
    const qint64 id = view->model()->alertId(0);
    QCOMPARE(view->currentAlertId(), id);
    QCOMPARE(m_window->detailPane()->alertId(), id);

    const QStringList lines = m_window->detailPane()->rawLinesText().split(QLatin1Char('\n'));
    const Alert alert = storedAlert(id);
    QCOMPARE(lines.size(), alert.evidence.size());
    QFile log(AuthLog);
    QVERIFY(log.open(QIODevice::ReadOnly));
    const QString logText = QString::fromUtf8(log.readAll());
    for (const QString &line : lines)
        QVERIFY2(logText.contains(line), qPrintable(line));
    QVERIFY(m_window->detailPane()->historyModel()->rowCount() >= 0);
}

void TestAlertsView::acknowledgeShortcutChangesStore()
{
    AlertsView *view = m_window->alertsView();
    view->model()->setStatusFilter({ AlertStatus::Open });
    view->selectRow(0);
    const qint64 id = view->currentAlertId();
    QVERIFY(id > 0);

    QTest::keyClick(view->tableView(), Qt::Key_A);
    const Alert alert = storedAlert(id);
    QCOMPARE(alert.status, AlertStatus::Acknowledged);
    const QVector<AlertHistoryEntry> history = m_store.alertHistory(id);
    QVERIFY(!history.isEmpty());
    QCOMPARE(history.last().action, QStringLiteral("acknowledged"));
    QCOMPARE(history.last().actor, QStringLiteral("alice"));
}

void TestAlertsView::closeDialogStoresDisposition()
{
    AlertsView *view = m_window->alertsView();
    view->model()->setStatusFilter({ AlertStatus::Open });
    const int before = view->model()->matchingCount();
    view->selectRow(0);
    const qint64 id = view->currentAlertId();

    answerNextDialog<CloseAlertDialog>([](CloseAlertDialog *dialog) {
        dialog->setDisposition(Disposition::FalsePositive);
        dialog->setNote(QStringLiteral("known scanner of the hosting provider"));
    });
    m_window->triageActions()->closeAction()->trigger();

    const Alert alert = storedAlert(id);
    QCOMPARE(alert.status, AlertStatus::Closed);
    QCOMPARE(alert.disposition, Disposition::FalsePositive);
    const AlertHistoryEntry last = m_store.alertHistory(id).last();
    QCOMPARE(last.action, QStringLiteral("closed"));
    QCOMPARE(last.note, QStringLiteral("known scanner of the hosting provider"));
    QCOMPARE(view->model()->matchingCount(), before - 1); // closed alerts are filtered out
    QCOMPARE(view->model()->rowOfAlert(id), -1);
}

void TestAlertsView::reopenRestoresOpenState()
{
    AlertsView *view = m_window->alertsView();
    view->filterBar()->setStatuses({ AlertStatus::Closed });
    QVERIFY(view->model()->matchingCount() > 0);
    view->selectRow(0);
    const qint64 id = view->currentAlertId();
    QVERIFY(m_window->triageActions()->reopenAction()->isEnabled());
    QVERIFY(!m_window->triageActions()->acknowledgeAction()->isEnabled());

    QTest::keyClick(view->tableView(), Qt::Key_R);
    QCOMPARE(storedAlert(id).status, AlertStatus::Open);
    QCOMPARE(storedAlert(id).disposition, Disposition::None);
    QCOMPARE(m_store.alertHistory(id).last().action, QStringLiteral("reopened"));
}

void TestAlertsView::assignStoresAssignee()
{
    AlertsView *view = m_window->alertsView();
    view->selectRow(1);
    const qint64 id = view->currentAlertId();

    answerNextDialog<AssignAlertDialog>(
        [](AssignAlertDialog *dialog) { dialog->setAssignee(QStringLiteral("bob")); });
    QTest::keyClick(view->tableView(), Qt::Key_A, Qt::ShiftModifier);

    QCOMPARE(storedAlert(id).assignee, QStringLiteral("bob"));
    QCOMPARE(m_store.alertHistory(id).last().action, QStringLiteral("assigned"));
    QCOMPARE(view->model()
                 ->index(view->model()->rowOfAlert(id), AlertTableModel::AssigneeColumn)
                 .data()
                 .toString(),
        QStringLiteral("bob"));
}

void TestAlertsView::bulkAcknowledgeSkipsNonOpen()
{
    AlertsView *view = m_window->alertsView();
    view->filterBar()->setStatuses({});
    AlertTableModel *model = view->model();
    QList<int> rows;
    int openRows = 0;
    for (int row = 0; row < model->rowCount() && rows.size() < 6; ++row) {
        rows << row;
        if (model->alertAt(row)->status == AlertStatus::Open)
            ++openRows;
    }
    QVERIFY(openRows > 0);
    QVERIFY(openRows < rows.size()); // earlier tests left some alerts acknowledged
    selectRows(rows);
    QSignalSpy failed(m_window->triageActions(), &TriageActions::triageFailed);

    QCOMPARE(m_window->triageActions()->acknowledgeSelected(), openRows);
    QCOMPARE(failed.count(), 0);
    for (const qint64 id : view->selectedAlertIds())
        QVERIFY(storedAlert(id).status != AlertStatus::Open);
}

void TestAlertsView::selectionSurvivesRefresh()
{
    AlertsView *view = m_window->alertsView();
    view->tableView()->sortByColumn(AlertTableModel::LastSeenColumn, Qt::DescendingOrder);
    selectRows({ 1, 2 });
    const QVector<qint64> selected = view->selectedAlertIds();
    QCOMPARE(selected.size(), 2);

    Alert newest = testing::generatedAlert(424242);
    newest.lastSeenMs = 4102444800000LL; // 2100-01-01, sorts first
    QString error;
    QVERIFY(m_store.database().begin(&error));
    QVERIFY2(m_store.upsertAlert(newest, &error), qPrintable(error));
    QVERIFY(m_store.database().commit(&error));

    m_window->refreshAlerts();
    QCOMPARE(view->model()->alertId(0), newest.id);
    QCOMPARE(view->selectedAlertIds(), selected);
}

// A live refresh that finds the same rows must not clear the selection, or
// the triage actions turn grey while the detail pane still shows the alert.
void TestAlertsView::selectionSurvivesUnchangedRefresh()
{
    AlertsView *view = m_window->alertsView();
    QVERIFY(view->model()->rowCount() >= 3);
    view->selectRow(2);
    const qint64 selected = view->currentAlertId();
    QVERIFY(selected != 0);

    m_window->refreshAlerts();
    QCOMPARE(view->selectedAlertIds(), QVector<qint64>{ selected });
    QCOMPARE(view->currentAlertId(), selected);
    QVERIFY(m_window->triageActions()->closeAction()->isEnabled());
}

void TestAlertsView::nextAndPreviousKeys()
{
    AlertsView *view = m_window->alertsView();
    view->selectRow(0);
    QTest::keyClick(view->tableView(), Qt::Key_J);
    QTest::keyClick(view->tableView(), Qt::Key_J);
    QCOMPARE(view->currentAlertId(), view->model()->alertId(2));
    QTest::keyClick(view->tableView(), Qt::Key_K);
    QCOMPARE(view->currentAlertId(), view->model()->alertId(1));
    QCOMPARE(m_window->detailPane()->alertId(), view->model()->alertId(1));
}

void TestAlertsView::searchAppliesAfterTyping()
{
    AlertsView *view = m_window->alertsView();
    const QString address
        = view->model()->alertAt(0)->entities.value(QStringLiteral("source.ip")).value(0);
    QVERIFY(!address.isEmpty());

    QTest::keyClick(m_window.get(), Qt::Key_F, Qt::ControlModifier);
    QVERIFY(view->filterBar()->searchField()->hasFocus());
    QTest::keyClicks(view->filterBar()->searchField(), address);
    QCOMPARE(view->model()->query().text, QString()); // not before the delay
    QTRY_COMPARE(view->model()->query().text, address);

    QVERIFY(view->model()->matchingCount() >= 1);
    for (int row = 0; row < view->model()->rowCount(); ++row) {
        const Alert *alert = view->model()->alertAt(row);
        QVERIFY(alert->title.contains(address) || alert->reason.contains(address)
            || alert->entities.value(QStringLiteral("source.ip")).join(' ').contains(address));
    }
}

void TestAlertsView::typingInSearchTriggersNoAction()
{
    AlertsView *view = m_window->alertsView();
    view->filterBar()->setStatuses({ AlertStatus::Open });
    view->selectRow(0);
    const qint64 id = view->currentAlertId();
    QCOMPARE(storedAlert(id).status, AlertStatus::Open);

    view->filterBar()->focusSearch();
    QTest::keyClicks(view->filterBar()->searchField(), QStringLiteral("a"));
    QCOMPARE(storedAlert(id).status, AlertStatus::Open);
    QCOMPARE(view->filterBar()->searchField()->text(), QStringLiteral("a"));
}

void TestAlertsView::triageHiddenWithoutPermission()
{
    Identity auditor = testing::analyst(QStringLiteral("carol"));
    auditor.roles = { Role::ComplianceOfficer };
    MainWindow window(m_databasePath, auditor);
    window.setErrorDialogsEnabled(false);
    QVERIFY(window.alertModel()->matchingCount() > 0);

    for (QAction *action : window.triageActions()->triageActions()) {
        QVERIFY2(!action->isVisible(), qPrintable(action->text()));
        QVERIFY2(!action->isEnabled(), qPrintable(action->text()));
    }
    QVERIFY(window.triageActions()->nextAction()->isVisible());
}

void TestAlertsView::severityButtonsShowCounts()
{
    AlertsView *view = m_window->alertsView();
    auto *high = view->filterBar()->findChild<QToolButton *>(QStringLiteral("severity-high"));
    QVERIFY(high);

    AlertQuery query;
    query.severities = { Severity::High };
    query.statuses = { AlertStatus::Open, AlertStatus::Acknowledged };
    QCOMPARE(high->text(), QStringLiteral("High %1").arg(m_store.countAlerts(query)));

    view->filterBar()->setStatuses({ AlertStatus::Closed });
    query.statuses = { AlertStatus::Closed };
    QCOMPARE(high->text(), QStringLiteral("High %1").arg(m_store.countAlerts(query)));
}

QTEST_MAIN(TestAlertsView)
#include "tst_alertsview.moc"
