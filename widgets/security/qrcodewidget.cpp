// SPDX-License-Identifier: GPL-3.0-or-later
#include "security/qrcodewidget.h"

#include <QPainter>

namespace portcullis {

static constexpr int quietZone = 4;

QrCodeWidget::QrCodeWidget(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
}

void QrCodeWidget::setMatrix(const QrMatrix &matrix)
{
    m_matrix = matrix;
    updateGeometry();
    update();
}

QSize QrCodeWidget::sizeHint() const
{
    const int modules = m_matrix.size + 2 * quietZone;
    return QSize(modules * 5, modules * 5);
}

void QrCodeWidget::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), Qt::white);
    if (m_matrix.isNull())
        return;
    const int modules = m_matrix.size + 2 * quietZone;
    const int scale = qMax(1, qMin(width(), height()) / modules);
    for (int y = 0; y < m_matrix.size; ++y) {
        for (int x = 0; x < m_matrix.size; ++x) {
            if (m_matrix.isDark(x, y))
                painter.fillRect((x + quietZone) * scale, (y + quietZone) * scale, scale, scale,
                                 Qt::black);
        }
    }
}

} // namespace portcullis
