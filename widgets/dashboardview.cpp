// SPDX-License-Identifier: GPL-3.0-or-later
#include "dashboardview.h"

#include "alertstyle.h"
#include "countaxis.h"
#include "dashboardmodel.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QFontMetrics>
#include <QGridLayout>
#include <QHeaderView>
#include <QHorizontalStackedBarSeries>
#include <QLabel>
#include <QLineSeries>
#include <QLocale>
#include <QStackedBarSeries>
#include <QTableWidget>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>

namespace portcullis {

namespace {

constexpr int RefreshIntervalMs = 1000;
constexpr qint64 RateLabelStepMs = 3 * 60 * 1000;

QString utcTime(qint64 ms, const QString &format = QStringLiteral("HH:mm"))
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(format);
}

QChart *newChart(const QString &title)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    return chart;
}

QChartView *newChartView(QChart *chart, const QString &objectName)
{
    auto *view = new QChartView(chart);
    view->setObjectName(objectName);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(360, 240);
    return view;
}

QString lagText(const BackendLiveState *live)
{
    if (!live)
        return QString();
    if (live->state.kind == BackendState::Connected)
        return DashboardView::tr("none");
    if (live->state.kind == BackendState::Lagging)
        return DashboardView::tr("%n s", nullptr, int(live->state.lagSeconds));
    return QString();
}

QTableWidgetItem *item(const QString &text, Qt::Alignment alignment = Qt::AlignLeft)
{
    auto *cell = new QTableWidgetItem(text);
    cell->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    cell->setTextAlignment(alignment | Qt::AlignVCenter);
    return cell;
}

} // namespace

DashboardView::DashboardView(DashboardModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
{
    setObjectName(QStringLiteral("dashboardView"));
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("dashboardSummary"));
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setWordWrap(true);
    QFont font = m_summary->font();
    font.setPointSizeF(font.pointSizeF() * 1.15);
    m_summary->setFont(font);

    m_note = new QLabel(this);
    m_note->setTextFormat(Qt::PlainText);
    m_note->setWordWrap(true);
    m_note->hide();

    auto *grid = new QGridLayout;
    grid->addWidget(createRateChart(), 0, 0);
    grid->addWidget(createAlertChart(), 0, 1);
    grid->addWidget(createSourceChart(), 1, 0);
    grid->addWidget(createHealthTable(), 1, 1);
    grid->setRowStretch(0, 3);
    grid->setRowStretch(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_note);
    layout->addLayout(grid, 1);

    connect(m_model, &DashboardModel::updated, this, &DashboardView::updateCharts);
    connect(m_model, &DashboardModel::liveStateChanged, this, &DashboardView::updateHealthTable);
    connect(m_model, &DashboardModel::refreshFailed, this, [this](const QString &message) {
        m_summary->setText(tr("The dashboard could not read the database: %1").arg(message));
    });
    updateCharts();
    m_model->setRefreshInterval(RefreshIntervalMs);
}

void DashboardView::setNote(const QString &note)
{
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
}

QChartView *DashboardView::createRateChart()
{
    m_rateChart = newChart(tr("Events per second"));
    m_rateSeries = new QLineSeries;
    m_rateSeries->setName(tr("events/s, 5-second average"));
    m_rateChart->addSeries(m_rateSeries);

    auto *timeAxis = new QCategoryAxis;
    timeAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    timeAxis->setTitleText(tr("Event time (UTC)"));
    m_rateValueAxis = new QValueAxis;
    m_rateValueAxis->setTitleText(tr("events/s"));
    m_rateChart->addAxis(timeAxis, Qt::AlignBottom);
    m_rateChart->addAxis(m_rateValueAxis, Qt::AlignLeft);
    m_rateSeries->attachAxis(timeAxis);
    m_rateSeries->attachAxis(m_rateValueAxis);
    m_rateChart->legend()->hide();
    // The last time label is centred on the right edge of the plot, so the
    // margin leaves room for its right half, or it is cut to "00:0".
    const int halfLabel = QFontMetrics(timeAxis->labelsFont()).horizontalAdvance(
                              QStringLiteral("00:00")) / 2 + 4;
    m_rateChart->setMargins(QMargins(4, 4, halfLabel, 4));
    return newChartView(m_rateChart, QStringLiteral("eventRateChart"));
}

QChartView *DashboardView::createAlertChart()
{
    QChart *chart = newChart(tr("New alerts per minute, by severity"));
    m_alertSeries = new QStackedBarSeries;
    QList<Severity> severities = allSeverities(); // Critical first
    for (const Severity severity : severities) {
        auto *set = new QBarSet(severityLabel(severity));
        set->setColor(severityColor(severity));
        set->setBorderColor(severityColor(severity).darker(120));
        m_severitySets.append(set);
    }
    // Stacked bottom-up from Informational, so Critical sits on top.
    for (auto it = m_severitySets.crbegin(); it != m_severitySets.crend(); ++it)
        m_alertSeries->append(*it);
    m_alertSeries->setBarWidth(0.9);
    chart->addSeries(m_alertSeries);

    m_alertTimeAxis = new QBarCategoryAxis;
    m_alertTimeAxis->setTitleText(tr("Alert first seen, minute starting (UTC)"));
    // Fifteen "HH:mm" labels fit a narrow chart only upright, and a cut "14..." is unreadable.
    m_alertTimeAxis->setLabelsAngle(-90);
    m_alertTimeAxis->setTruncateLabels(false);
    m_alertValueAxis = new QValueAxis;
    m_alertValueAxis->setTitleText(tr("alerts"));
    chart->addAxis(m_alertTimeAxis, Qt::AlignBottom);
    chart->addAxis(m_alertValueAxis, Qt::AlignLeft);
    m_alertSeries->attachAxis(m_alertTimeAxis);
    m_alertSeries->attachAxis(m_alertValueAxis);
    return newChartView(chart, QStringLiteral("alertSeverityChart"));
}

QChartView *DashboardView::createSourceChart()
{
    QChart *chart = newChart(tr("Busiest source addresses (last 15 minutes)"));
    m_sourceSeries = new QHorizontalStackedBarSeries;
    m_sourceFailures = new QBarSet(tr("failed events"));
    m_sourceFailures->setColor(severityColor(Severity::Critical));
    m_sourceOthers = new QBarSet(tr("other events"));
    m_sourceOthers->setColor(severityColor(Severity::Informational));
    m_sourceSeries->append(m_sourceFailures);
    m_sourceSeries->append(m_sourceOthers);
    chart->addSeries(m_sourceSeries);

    m_sourceAxis = new QBarCategoryAxis;
    m_sourceAxis->setTruncateLabels(false); // an address cut to "..." is useless
    m_sourceValueAxis = new QValueAxis;
    m_sourceValueAxis->setTitleText(tr("events"));
    chart->addAxis(m_sourceAxis, Qt::AlignLeft);
    chart->addAxis(m_sourceValueAxis, Qt::AlignBottom);
    m_sourceSeries->attachAxis(m_sourceAxis);
    m_sourceSeries->attachAxis(m_sourceValueAxis);
    return newChartView(chart, QStringLiteral("topSourcesChart"));
}

QWidget *DashboardView::createHealthTable()
{
    auto *box = new QWidget(this);
    auto *title = new QLabel(tr("Ingest health per backend"), box);
    QFont font = title->font();
    font.setBold(true);
    title->setFont(font);

    m_healthTable = new QTableWidget(0, 7, box);
    m_healthTable->setObjectName(QStringLiteral("ingestHealthTable"));
    m_healthTable->setHorizontalHeaderLabels({ tr("Backend"), tr("State"), tr("Lag"),
        tr("Errors"), tr("Quarantined"), tr("Events stored"), tr("Newest event (UTC)") });
    m_healthTable->verticalHeader()->hide();
    m_healthTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_healthTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_healthTable->horizontalHeader()->setStretchLastSection(true);

    auto *hint = new QLabel(tr("Errors: failed requests since the console started (retried "
                               "ones included). Quarantined: events the backend sent that "
                               "failed validation; they are kept, not analysed."),
        box);
    hint->setWordWrap(true);
    hint->setTextFormat(Qt::PlainText);

    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(title);
    layout->addWidget(m_healthTable, 1);
    layout->addWidget(hint);
    return box;
}

void DashboardView::updateCharts()
{
    updateSummary();
    updateRateChart();
    updateAlertChart();
    updateSourceChart();
    updateHealthTable();
}

void DashboardView::updateSummary()
{
    const DashboardMetrics &metrics = m_model->metrics();
    if (!m_model->hasMetrics()) {
        m_summary->setText(tr("Reading the database..."));
        return;
    }
    if (metrics.newestEventMs <= 0) {
        m_summary->setText(tr("No events stored yet. Charts fill in as telemetry arrives or "
                              "logs are imported."));
        return;
    }
    const QLocale locale;
    // Each count gets its own %n string, so the plural form matches the number.
    const QString events = tr("%Ln event(s)", nullptr, int(m_model->eventsInWindow()));
    const QString alerts = tr("%Ln new alert(s)", nullptr, int(m_model->alertsInWindow()));
    m_summary->setText(tr("Last 15 minutes of event time, up to the newest stored event at %1 "
                          "UTC: %2, %3. Open alerts in total: %4.")
                           .arg(utcTime(metrics.newestEventMs,
                                    QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                               events, alerts, locale.toString(metrics.openAlerts)));
}

void DashboardView::updateRateChart()
{
    const DashboardMetrics &metrics = m_model->metrics();
    const QList<QPointF> points = m_model->eventRatePoints(width());
    m_rateSeries->replace(points);

    auto *axis = static_cast<QCategoryAxis *>(m_rateChart->axes(Qt::Horizontal).constFirst());
    for (const QString &label : axis->categoriesLabels())
        axis->remove(label);
    const qint64 start = metrics.windowStartMs();
    const qint64 end = metrics.window.endMs;
    axis->setRange(double(start), double(std::max(end, start + 1)));
    for (qint64 t = start; t <= end; t += RateLabelStepMs)
        axis->append(utcTime(t), double(t));

    double maximum = 0;
    for (const QPointF &point : points)
        maximum = std::max(maximum, point.y());
    setCountAxisRange(m_rateValueAxis, maximum);
}

void DashboardView::updateAlertChart()
{
    const DashboardMetrics &metrics = m_model->metrics();
    const int buckets = int(metrics.alertCounts.size());
    QStringList categories;
    for (int i = 0; i < buckets; ++i)
        categories << utcTime(metrics.windowStartMs() + i * metrics.window.alertBucketMs);

    const QList<Severity> severities = allSeverities();
    QVector<double> totals(buckets, 0);
    for (int s = 0; s < m_severitySets.size(); ++s) {
        QBarSet *set = m_severitySets.at(s);
        const size_t index = size_t(severities.at(s));
        QList<qreal> values;
        for (int i = 0; i < buckets; ++i) {
            const qint64 count = metrics.alertCounts.at(i)[index];
            values << qreal(count);
            totals[i] += double(count);
        }
        set->remove(0, set->count());
        set->append(values);
    }
    m_alertTimeAxis->setCategories(categories);
    setCountAxisRange(m_alertValueAxis, buckets ? *std::max_element(totals.begin(), totals.end()) : 0);
}

void DashboardView::updateSourceChart()
{
    const QVector<SourceCount> &sources = m_model->metrics().topSources;
    QStringList categories;
    QList<qreal> failures;
    QList<qreal> others;
    double maximum = 0;
    // The busiest address at the top: a horizontal bar axis draws its first category lowest.
    for (auto it = sources.crbegin(); it != sources.crend(); ++it) {
        categories << it->sourceIp;
        failures << qreal(it->failures);
        others << qreal(it->events - it->failures);
        maximum = std::max(maximum, double(it->events));
    }
    m_sourceFailures->remove(0, m_sourceFailures->count());
    m_sourceOthers->remove(0, m_sourceOthers->count());
    m_sourceAxis->setCategories(categories);
    m_sourceFailures->append(failures);
    m_sourceOthers->append(others);
    setCountAxisRange(m_sourceValueAxis, maximum);
}

void DashboardView::updateHealthTable()
{
    QVector<BackendHealthRow> rows = m_model->metrics().backends;
    const QHash<QString, BackendLiveState> &live = m_model->liveStates();
    // A connection that has not committed a batch yet has no stored row.
    for (auto it = live.constBegin(); it != live.constEnd(); ++it) {
        const bool stored = std::any_of(rows.cbegin(), rows.cend(),
            [&it](const BackendHealthRow &row) { return row.name == it.key(); });
        if (!stored)
            rows.append(BackendHealthRow{ it.key(), QString(), 0, 0, 0, 0 });
    }
    m_healthTable->clearSpans();
    if (rows.isEmpty()) {
        m_healthTable->setRowCount(1);
        m_healthTable->setSpan(0, 0, 1, m_healthTable->columnCount());
        m_healthTable->setItem(0, 0,
            item(tr("No backend connection: this console has no connection in this session and "
                    "the database has no events from one. Start it with a backend URL or with "
                    "--demo to see one here.")));
        return;
    }

    const QLocale locale;
    m_healthTable->setRowCount(int(rows.size()));
    for (int r = 0; r < rows.size(); ++r) {
        const BackendHealthRow &row = rows.at(r);
        const auto found = live.constFind(row.name);
        const BackendLiveState *state = found == live.constEnd() ? nullptr : &found.value();
        QTableWidgetItem *name = item(row.name);
        name->setToolTip(row.baseUrl);
        m_healthTable->setItem(r, 0, name);
        m_healthTable->setItem(r, 1,
            item(state ? stateText(state->state) : tr("not connected in this session")));
        m_healthTable->setItem(r, 2, item(lagText(state), Qt::AlignRight));
        QTableWidgetItem *errors = item(locale.toString(state ? state->errors : 0), Qt::AlignRight);
        if (state)
            errors->setToolTip(state->lastError);
        m_healthTable->setItem(r, 3, errors);
        m_healthTable->setItem(r, 4, item(locale.toString(row.quarantined), Qt::AlignRight));
        m_healthTable->setItem(r, 5, item(locale.toString(row.eventsStored), Qt::AlignRight));
        m_healthTable->setItem(r, 6,
            item(row.lastEventMs ? utcTime(row.lastEventMs, QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                                 : tr("none yet")));
    }
}

} // namespace portcullis
