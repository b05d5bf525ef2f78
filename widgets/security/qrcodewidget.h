// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "security/qrcode.h"

#include <QWidget>

namespace portcullis {

// Draws a QR code matrix black on white with a four-module quiet zone.
class QrCodeWidget : public QWidget
{
    Q_OBJECT

public:
    explicit QrCodeWidget(QWidget *parent = nullptr);
    void setMatrix(const QrMatrix &matrix);
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QrMatrix m_matrix;
};

} // namespace portcullis
