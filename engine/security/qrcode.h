// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QVector>

namespace portcullis {

// A QR code as a square bit matrix (libqrencode), for the widgets to draw and
// the CLI to print. Dark modules are true. No quiet zone is included.
struct QrMatrix
{
    int size = 0;
    QVector<bool> modules;

    bool isNull() const { return size == 0; }
    bool isDark(int x, int y) const { return modules.at(y * size + x); }
};

// Encodes UTF-8 text with error correction level M; null on failure.
QrMatrix encodeQr(const QByteArray &text);

// Renders the matrix with Unicode half blocks, two rows per line, with a
// quiet zone, for a terminal.
QString qrToText(const QrMatrix &matrix);

} // namespace portcullis
