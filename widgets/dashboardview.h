// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QBarCategoryAxis;
class QBarSet;
class QChart;
class QChartView;
class QHorizontalStackedBarSeries;
class QLabel;
class QLineSeries;
class QStackedBarSeries;
class QTableWidget;
class QValueAxis;

namespace portcullis {

class DashboardModel;

// The Dashboard: events per second, alerts by severity over time, the
// busiest source addresses and each backend's ingest health. Every chart is
// redrawn whole from the model's buffers when the model updates (animations
// off), so a busy backend costs one replace() per chart per refresh.
class DashboardView : public QWidget {
    Q_OBJECT

public:
    explicit DashboardView(DashboardModel *model, QWidget *parent = nullptr);

    // Shows a line under the summary, such as why event times run ahead of the clock.
    void setNote(const QString &note);

    // For tests and screenshots.
    QLineSeries *eventRateSeries() const { return m_rateSeries; }
    QList<QBarSet *> severitySets() const { return m_severitySets; }
    QBarCategoryAxis *sourceAxis() const { return m_sourceAxis; }
    QTableWidget *healthTable() const { return m_healthTable; }
    QLabel *summaryLabel() const { return m_summary; }

private:
    QChartView *createRateChart();
    QChartView *createAlertChart();
    QChartView *createSourceChart();
    QWidget *createHealthTable();
    void updateCharts();
    void updateSummary();
    void updateRateChart();
    void updateAlertChart();
    void updateSourceChart();
    void updateHealthTable();

    DashboardModel *m_model;
    QLabel *m_summary = nullptr;
    QLabel *m_note = nullptr;
    QChart *m_rateChart = nullptr;
    QLineSeries *m_rateSeries = nullptr;
    QValueAxis *m_rateValueAxis = nullptr;
    QStackedBarSeries *m_alertSeries = nullptr;
    QList<QBarSet *> m_severitySets;   // Critical first
    QBarCategoryAxis *m_alertTimeAxis = nullptr;
    QValueAxis *m_alertValueAxis = nullptr;
    QHorizontalStackedBarSeries *m_sourceSeries = nullptr;
    QBarSet *m_sourceFailures = nullptr;
    QBarSet *m_sourceOthers = nullptr;
    QBarCategoryAxis *m_sourceAxis = nullptr;
    QValueAxis *m_sourceValueAxis = nullptr;
    QTableWidget *m_healthTable = nullptr;
};

} // namespace portcullis
