// SPDX-License-Identifier: GPL-3.0-or-later
#include "appicon.h"

#include <QFile>
#include <QPainter>
#include <QPixmap>

// Resources of a static library must be registered by name, outside any namespace.
static void initGuiResources()
{
    Q_INIT_RESOURCE(portcullis_gui);
}

namespace portcullis {

namespace {

QPixmap drawGate(int size)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);

    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    const qreal unit = size / 16.0;

    // Stone arch.
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(0x37, 0x47, 0x4f));
    painter.drawRoundedRect(QRectF(0, 0, size, size), 3 * unit, 3 * unit);

    // Iron grid: four bars and three crossbars, spiked at the bottom.
    const QColor iron(0xff, 0xb3, 0x00);
    painter.setPen(QPen(iron, qMax<qreal>(1.0, unit * 1.2), Qt::SolidLine, Qt::FlatCap));
    for (int i = 0; i < 4; ++i) {
        const qreal x = (3.5 + i * 3) * unit;
        painter.drawLine(QPointF(x, 2.5 * unit), QPointF(x, 12.5 * unit));
    }
    for (int i = 0; i < 3; ++i) {
        const qreal y = (4 + i * 3.5) * unit;
        painter.drawLine(QPointF(2.5 * unit, y), QPointF(13.5 * unit, y));
    }
    painter.setPen(Qt::NoPen);
    painter.setBrush(iron);
    for (int i = 0; i < 4; ++i) {
        const qreal x = (3.5 + i * 3) * unit;
        const QPointF spike[]
            = { { x - unit, 12.5 * unit }, { x + unit, 12.5 * unit }, { x, 14.5 * unit } };
        painter.drawPolygon(spike, 3);
    }
    return pixmap;
}

} // namespace

QIcon appIcon()
{
    QIcon icon;
    for (const int size : { 16, 24, 32, 48, 64, 128, 256 })
        icon.addPixmap(drawGate(size));
    return icon;
}

QString appStyleSheet()
{
    initGuiResources();
    QFile file(QStringLiteral(":/portcullis/style.qss"));
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return QString();
    return QString::fromUtf8(file.readAll());
}

} // namespace portcullis
