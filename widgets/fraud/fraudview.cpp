// SPDX-License-Identifier: GPL-3.0-or-later
#include "fraudview.h"

#include "fraud/fraudreviewmodel.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStackedBarSeries>
#include <QTableView>
#include <QTableWidget>
#include <QTimer>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>

namespace portcullis {

using fraud::ReviewOutcome;

namespace {

constexpr int RefreshIntervalMs = 5000;

QLabel *plainLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);  // payment fields come from the backend
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    return label;
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

} // namespace

FraudView *createFraudView(const QString &databasePath, const Identity &identity,
                           QWidget *parent)
{
    auto *view = new FraudView(new FraudReviewModel(databasePath, identity), parent);
    view->model()->setParent(view);
    return view;
}

FraudView::FraudView(FraudReviewModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
{
    setObjectName(QStringLiteral("fraudView"));
    m_summary = plainLabel(this);
    m_summary->setObjectName(QStringLiteral("fraudSummary"));
    auto *vertical = new QSplitter(Qt::Vertical, this);
    auto *upper = new QSplitter(Qt::Horizontal, vertical);
    upper->addWidget(createQueue());
    upper->addWidget(createDetail());
    upper->setStretchFactor(0, 3);
    upper->setStretchFactor(1, 2);
    vertical->addWidget(upper);
    vertical->addWidget(createCharts());
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(vertical, 1);

    connect(m_model, &FraudReviewModel::figuresChanged, this, [this] {
        updateSummary();
        updateCharts();
        updateQuality();
        updateDetail();
        updateButtons();
    });
    connect(m_model, &FraudReviewModel::decisionFailed, this, [this](const QString &message) {
        QMessageBox box(QMessageBox::Warning, tr("Decision not recorded"), message,
                        QMessageBox::Ok, this);
        box.setTextFormat(Qt::PlainText);
        box.exec();
    });
    m_timer = new QTimer(this);
    m_timer->setInterval(RefreshIntervalMs);
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (isVisible())
            refresh();
    });
    m_timer->start();
    updateSummary();
    updateCharts();
    updateQuality();
    updateDetail();
    updateButtons();
}

QWidget *FraudView::createQueue()
{
    auto *box = new QWidget(this);
    auto *buttons = new QHBoxLayout;
    const QList<QPair<ReviewOutcome, QString>> outcomes{
        {ReviewOutcome::Approve, tr("&Approve")},
        {ReviewOutcome::Refund, tr("&Refund")},
        {ReviewOutcome::BlockCard, tr("Block &card")},
        {ReviewOutcome::BlockCustomer, tr("Block c&ustomer")},
    };
    for (const auto &outcome : outcomes) {
        auto *button = new QPushButton(outcome.second, box);
        button->setObjectName(QStringLiteral("fraud_") + fraud::reviewOutcomeName(outcome.first));
        connect(button, &QPushButton::clicked, this, [this, o = outcome.first] { decide(o); });
        buttons->addWidget(button);
        m_buttons.append(button);
    }
    buttons->addStretch(1);
    m_showReviewed = new QCheckBox(tr("Show reviewed payments"), box);
    connect(m_showReviewed, &QCheckBox::toggled, m_model, &FraudReviewModel::setShowReviewed);
    buttons->addWidget(m_showReviewed);

    m_queue = new QTableView(box);
    m_queue->setObjectName(QStringLiteral("fraudQueue"));
    m_queue->setModel(m_model);
    m_queue->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_queue->setSelectionMode(QAbstractItemView::SingleSelection);
    m_queue->verticalHeader()->hide();
    m_queue->horizontalHeader()->setStretchLastSection(false);
    m_queue->setWordWrap(false);
    m_queue->setTextElideMode(Qt::ElideRight);
    m_queue->setColumnWidth(FraudReviewModel::TimeColumn, 150);
    m_queue->setColumnWidth(FraudReviewModel::ScoreColumn, 60);
    m_queue->setColumnWidth(FraudReviewModel::ActionColumn, 70);
    m_queue->setColumnWidth(FraudReviewModel::CardColumn, 160);
    m_queue->setColumnWidth(FraudReviewModel::AddressColumn, 160);
    m_queue->setColumnWidth(FraudReviewModel::AccountColumn, 110);
    // The reason takes the width the other columns leave, so it ends in "..." inside the
    // view (its tooltip has the whole text) instead of running past the right edge.
    m_queue->horizontalHeader()->setSectionResizeMode(
        FraudReviewModel::ReasonColumn, QHeaderView::Stretch);
    connect(m_queue->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        updateDetail();
        updateButtons();
    });

    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(buttons);
    layout->addWidget(m_queue, 1);
    return box;
}

QWidget *FraudView::createDetail()
{
    auto *box = new QWidget(this);
    m_detail = plainLabel(box);
    m_detail->setObjectName(QStringLiteral("fraudDetail"));
    auto *scroll = new QScrollArea(box);
    scroll->setWidgetResizable(true);
    scroll->setWidget(m_detail);
    m_history = new QTableWidget(0, 4, box);
    m_history->setHorizontalHeaderLabels(
        {tr("Time (UTC)"), tr("Earlier payment event"), tr("Amount"), tr("Detail")});
    m_history->verticalHeader()->hide();
    m_history->horizontalHeader()->setStretchLastSection(true);
    m_history->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_history->setColumnWidth(0, 140);
    m_history->setColumnWidth(1, 190);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll, 3);
    layout->addWidget(m_history, 2);
    return box;
}

QChart *FraudView::createScoreChart()
{
    QChart *chart = newChart(tr("Score distribution of scored payments"));
    m_scoreSet = new QBarSet(tr("Payments"));
    auto *series = new QBarSeries;
    series->append(m_scoreSet);
    series->setLabelsVisible(true);  // the small high-score bars stay readable
    series->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
    chart->addSeries(series);
    m_scoreAxis = new QBarCategoryAxis;
    QStringList categories;
    for (int bucket = 0; bucket < 10; ++bucket)
        categories << QStringLiteral("%1-%2").arg(bucket * 10).arg(bucket * 10 + 9);
    m_scoreAxis->append(categories);
    m_scoreAxis->setTitleText(tr("score"));
    // Upright and never cut to "10...", because ten score-range labels in a row
    // do not fit a narrow chart.
    m_scoreAxis->setLabelsAngle(-90);
    m_scoreAxis->setTruncateLabels(false);
    chart->addAxis(m_scoreAxis, Qt::AlignBottom);
    series->attachAxis(m_scoreAxis);
    m_scoreValues = new QValueAxis;
    chart->addAxis(m_scoreValues, Qt::AlignLeft);
    series->attachAxis(m_scoreValues);
    chart->legend()->hide();
    return chart;
}

QChart *FraudView::createTimeChart()
{
    QChart *chart = newChart(tr("Engine decisions per hour, last 24 hours (payment time, UTC)"));
    auto *series = new QStackedBarSeries;
    const QList<QPair<QString, QColor>> sets{{tr("allow"), QColor(0x7a, 0xa6, 0x7a)},
                                             {tr("review"), QColor(0xe0, 0xa0, 0x30)},
                                             {tr("block"), QColor(0xb0, 0x1c, 0x1c)}};
    for (const auto &entry : sets) {
        auto *set = new QBarSet(entry.first);
        set->setColor(entry.second);
        series->append(set);
        m_actionSets.append(set);
    }
    chart->addSeries(series);
    m_timeAxis = new QBarCategoryAxis;
    m_timeAxis->setTitleText(tr("hour"));
    m_timeAxis->setLabelsAngle(-90);  // 24 labels fit only upright
    m_timeAxis->setTruncateLabels(false);
    chart->addAxis(m_timeAxis, Qt::AlignBottom);
    series->attachAxis(m_timeAxis);
    m_timeValues = new QValueAxis;
    chart->addAxis(m_timeValues, Qt::AlignLeft);
    series->attachAxis(m_timeValues);
    return chart;
}

QWidget *FraudView::createCharts()
{
    auto *box = new QWidget(this);
    auto *layout = new QHBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    for (QChart *chart : {createScoreChart(), createTimeChart()}) {
        auto *view = new QChartView(chart, box);
        view->setRenderHint(QPainter::Antialiasing);
        view->setMinimumSize(320, 220);
        layout->addWidget(view, 3);
    }
    m_quality = plainLabel(box);
    m_quality->setObjectName(QStringLiteral("fraudModelQuality"));
    m_quality->setMinimumWidth(280);
    auto *scroll = new QScrollArea(box);
    scroll->setWidgetResizable(true);
    scroll->setWidget(m_quality);
    layout->addWidget(scroll, 2);
    return box;
}

void FraudView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refresh();
}

void FraudView::refresh()
{
    const QByteArray selected = currentRow() >= 0 ? m_model->item(currentRow())->decision.paymentId
                                                  : QByteArray();
    m_model->refresh();
    for (int row = 0; !selected.isEmpty() && row < m_model->rowCount(); ++row) {
        if (m_model->item(row)->decision.paymentId == selected) {
            selectRow(row);
            break;
        }
    }
}

void FraudView::selectRow(int row)
{
    m_queue->selectRow(row);
    m_queue->setCurrentIndex(m_model->index(row, 0));
}

int FraudView::currentRow() const
{
    const QModelIndex index = m_queue->currentIndex();
    return index.isValid() && m_model->item(index.row()) ? index.row() : -1;
}

QPushButton *FraudView::decisionButton(ReviewOutcome outcome) const
{
    return m_buttons.value(int(outcome));
}

} // namespace portcullis
