// SPDX-License-Identifier: GPL-3.0-or-later
#include "alertdetailpane.h"

#include "alertstyle.h"
#include "displaytext.h"
#include "evidencemodel.h"
#include "historymodel.h"
#include "respond/alertservice.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace portcullis {

namespace {

// Values listed per entity field in the summary box; the Events tab has every event.
constexpr int MaxEntityValues = 50;

// Labels in this pane never interpret their text: telemetry can contain markup.
QLabel *plainLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    return label;
}

QTableView *createTable(QAbstractItemModel *model, QWidget *parent)
{
    auto *table = new QTableView(parent);
    table->setModel(model);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setWordWrap(false);
    table->setShowGrid(false);
    table->setAlternatingRowColors(true);
    table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 6);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    return table;
}

} // namespace

AlertDetailPane::AlertDetailPane(AlertService &service, const Identity &identity, QWidget *parent)
    : QWidget(parent)
    , m_service(service)
    , m_identity(identity)
    , m_evidence(new EvidenceModel(this))
    , m_history(new HistoryModel(this))
{
    m_stack = new QStackedWidget(this);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    QLabel *empty = plainLabel(m_stack);
    empty->setAlignment(Qt::AlignCenter);
    empty->setText(tr("Select an alert to see why it fired, its evidence lines and its history.\n"
                      "J / K move between alerts; A acknowledges, C closes, R reopens."));
    empty->setEnabled(false);
    m_stack->addWidget(empty);

    auto *splitter = new QSplitter(Qt::Horizontal, m_stack);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(createSummary());
    splitter->addWidget(createTabs());
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    m_stack->addWidget(splitter);
}

QWidget *AlertDetailPane::createSummary()
{
    auto *summary = new QWidget(this);
    auto *layout = new QVBoxLayout(summary);

    m_title = plainLabel(summary);
    m_title->setObjectName(QStringLiteral("alertTitle"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    m_title->setFont(titleFont);
    layout->addWidget(m_title);

    auto *badges = new QHBoxLayout;
    m_severity = plainLabel(summary);
    m_severity->setWordWrap(false);
    m_status = plainLabel(summary);
    m_status->setWordWrap(false);
    badges->addWidget(m_severity);
    badges->addSpacing(16);
    badges->addWidget(m_status);
    badges->addStretch(1);
    layout->addLayout(badges);

    // One plain-text box for the fields: it wraps long reasons and scrolls a
    // distributed attack's hundreds of addresses, where labels would clip.
    m_fields = new QPlainTextEdit(summary);
    m_fields->setObjectName(QStringLiteral("alertFields"));
    m_fields->setReadOnly(true);
    m_fields->setFrameShape(QFrame::NoFrame);
    m_fields->setBackgroundRole(QPalette::Window);
    m_fields->viewport()->setAutoFillBackground(false);
    m_fields->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Expanding);
    layout->addWidget(m_fields, 1);
    return summary;
}

QWidget *AlertDetailPane::createTabs()
{
    m_tabs = new QTabWidget(this);

    m_rawLines = new QPlainTextEdit(m_tabs);
    m_rawLines->setObjectName(QStringLiteral("evidenceRawLines"));
    m_rawLines->setReadOnly(true);
    m_rawLines->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_rawLines->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_rawLines->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_tabs->addTab(m_rawLines, tr("Raw lines"));

    m_eventTable = createTable(m_evidence, m_tabs);
    m_tabs->addTab(m_eventTable, tr("Events"));

    m_historyTable = createTable(m_history, m_tabs);
    m_tabs->addTab(m_historyTable, tr("History"));
    return m_tabs;
}

void AlertDetailPane::showAlert(qint64 alertId)
{
    if (alertId == m_alertId)
        return;
    m_alertId = alertId;
    reload();
}

void AlertDetailPane::reload()
{
    if (m_alertId == 0) {
        m_evidence->clear();
        m_history->clear();
        m_stack->setCurrentIndex(0);
        return;
    }

    QString error;
    const std::optional<Alert> alert = m_service.alert(m_identity, m_alertId, &error);
    if (!alert) {
        m_stack->setCurrentIndex(0);
        Q_EMIT loadFailed(
            error.isEmpty() ? tr("Alert %1 was not found in the database.").arg(m_alertId) : error);
        return;
    }

    showEvidence();
    showSummary(*alert);
    showHistory();
    m_stack->setCurrentIndex(1);
}

void AlertDetailPane::showSummary(const Alert &alert)
{
    m_title->setText(displayText(alert.title));
    m_severity->setText(tr("Severity: %1").arg(severityLabel(alert.severity)));
    m_severity->setStyleSheet(
        QStringLiteral("QLabel { color: white; background: %1; "
                       "border-radius: 3px; padding: 2px 8px; font-weight: bold; }")
            .arg(severityColor(alert.severity).name()));

    QString status = tr("Status: %1").arg(statusLabel(alert.status));
    if (alert.disposition != Disposition::None)
        status += tr(" (%1)").arg(dispositionLabel(alert.disposition));
    if (!alert.assignee.isEmpty())
        status += tr(", assigned to %1").arg(displayValue(alert.assignee));
    m_status->setText(status);

    QStringList lines;
    lines << tr("Why: %1").arg(displayText(alert.reason));
    QString rule = displayText(alert.ruleId);
    if (!alert.mitreTechnique.isEmpty())
        rule += tr(" (MITRE ATT&CK %1)").arg(displayText(alert.mitreTechnique));
    lines << tr("Rule: %1").arg(rule);
    lines << tr("First seen: %1 UTC").arg(formatTimestamp(alert.firstSeenMs));
    lines << tr("Last seen: %1 UTC").arg(formatTimestamp(alert.lastSeenMs));
    const qsizetype kept = m_evidence->rowCount();
    if (kept < alert.eventCount)
        lines
            << tr("Events: %1; the first %2 are kept as evidence").arg(alert.eventCount).arg(kept);
    else
        lines << tr("Events: %n", nullptr, int(alert.eventCount));
    lines << QString() << tr("Entities:");
    for (auto it = alert.entities.cbegin(); it != alert.entities.cend(); ++it)
        lines << tr("  %1: %2")
                     .arg(displayText(it.key()), displayValues(it.value(), MaxEntityValues));
    m_fields->setPlainText(lines.join(QLatin1Char('\n')));
}

void AlertDetailPane::showEvidence()
{
    QString error;
    const QVector<Event> events = m_service.evidence(m_identity, m_alertId, &error);
    if (!error.isEmpty())
        Q_EMIT loadFailed(error);
    m_evidence->setEvents(events);

    m_rawLines->setPlainText(m_evidence->rawLines());
    m_eventTable->resizeColumnsToContents();
    m_tabs->setTabText(0, tr("Raw lines (%1)").arg(events.size()));
    m_tabs->setTabText(1, tr("Events (%1)").arg(events.size()));
}

void AlertDetailPane::showHistory()
{
    QString error;
    m_history->setEntries(m_service.history(m_identity, m_alertId, &error));
    if (!error.isEmpty())
        Q_EMIT loadFailed(error);
    m_historyTable->resizeColumnsToContents();
    m_tabs->setTabText(2, tr("History (%1)").arg(m_history->rowCount()));
}

QString AlertDetailPane::rawLinesText() const
{
    return m_rawLines->toPlainText();
}

} // namespace portcullis
