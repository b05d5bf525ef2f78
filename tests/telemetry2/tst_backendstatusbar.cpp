// SPDX-License-Identifier: GPL-3.0-or-later
// The status bar's per-connection labels and their tooltips.
#include "backendstatusbar.h"

#include <QApplication>
#include <QLabel>
#include <QTest>

using namespace portcullis;

class TestBackendStatusBar : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void oneLabelPerConnection();
    void errorKeptAfterRecovery();
    void markupShownAsText();
};

void TestBackendStatusBar::oneLabelPerConnection()
{
    BackendStatusBar bar;
    BackendState connected;
    connected.kind = BackendState::Connected;
    connected.streaming = true;
    BackendState lagging;
    lagging.kind = BackendState::Lagging;
    lagging.lagSeconds = 93;
    bar.setConnectionState("east", QUrl("https://east.example.com"), connected);
    bar.setConnectionState("west", QUrl("https://west.example.com:8443"), lagging);
    bar.setConnectionState("east", QUrl(), connected);

    QCOMPARE(bar.findChildren<QLabel *>().size(), 2);
    QCOMPARE(bar.label("east")->text(), QStringLiteral("Backend east: connected"));
    QCOMPARE(bar.label("west")->text(), QStringLiteral("Backend west: lagging 93 s"));
    QCOMPARE(bar.label("east")->textFormat(), Qt::PlainText);
    const QString tip = bar.label("west")->toolTip();
    QVERIFY2(tip.contains("https://west.example.com:8443"), qPrintable(tip));
    QVERIFY2(tip.contains("Lag: 93 seconds"), qPrintable(tip));
    QVERIFY2(tip.contains("Last error: none"), qPrintable(tip));
    QVERIFY2(bar.label("east")->toolTip().contains("https://east.example.com"), "URL lost");
}

void TestBackendStatusBar::errorKeptAfterRecovery()
{
    BackendStatusBar bar;
    BackendState error;
    error.kind = BackendState::Error;
    error.reason = QStringLiteral("4 attempts failed, the last with: Connection refused");
    bar.setConnectionState("west", QUrl("http://127.0.0.1:9"), error);
    QVERIFY(bar.label("west")->text().startsWith("Backend west: error (4 attempts failed"));
    QVERIFY(bar.label("west")->styleSheet().contains("#c62828"));
    QVERIFY(bar.label("west")->toolTip().contains("Connection refused"));

    BackendState connected;
    connected.kind = BackendState::Connected;
    bar.setConnectionState("west", QUrl(), connected);
    QCOMPARE(bar.label("west")->text(), QStringLiteral("Backend west: connected"));
    QVERIFY(bar.label("west")->styleSheet().isEmpty());
    QVERIFY2(bar.label("west")->toolTip().contains("Last error: 4 attempts failed"),
        qPrintable(bar.label("west")->toolTip()));
}

void TestBackendStatusBar::markupShownAsText()
{
    BackendStatusBar bar;
    BackendState error;
    error.kind = BackendState::Error;
    error.reason = QStringLiteral("<img src=x><b>pwned</b>");
    bar.setConnectionState("<i>x</i>", QUrl("http://127.0.0.1:9"), error);
    const QString tip = bar.label("<i>x</i>")->toolTip();
    QVERIFY2(tip.contains("&lt;img src=x&gt;"), qPrintable(tip));
    QVERIFY2(!tip.contains("<b>"), qPrintable(tip));
}

QTEST_MAIN(TestBackendStatusBar)
#include "tst_backendstatusbar.moc"
