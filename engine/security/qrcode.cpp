// SPDX-License-Identifier: GPL-3.0-or-later
#include "security/qrcode.h"

#include <qrencode.h>

namespace portcullis {

QrMatrix encodeQr(const QByteArray &text)
{
    QrMatrix matrix;
    QRcode *code = QRcode_encodeString8bit(text.constData(), 0, QR_ECLEVEL_M);
    if (!code)
        return matrix;
    matrix.size = code->width;
    matrix.modules.resize(code->width * code->width);
    for (int i = 0; i < matrix.modules.size(); ++i)
        matrix.modules[i] = (code->data[i] & 1) != 0;
    QRcode_free(code);
    return matrix;
}

QString qrToText(const QrMatrix &matrix)
{
    const int quiet = 2;
    const int size = matrix.size + 2 * quiet;
    auto dark = [&](int x, int y) {
        x -= quiet;
        y -= quiet;
        return x >= 0 && y >= 0 && x < matrix.size && y < matrix.size && matrix.isDark(x, y);
    };
    // Light text on a dark terminal would invert the code, so dark modules
    // are printed as spaces and light ones as blocks.
    QString out;
    for (int y = 0; y < size; y += 2) {
        for (int x = 0; x < size; ++x) {
            const bool top = dark(x, y);
            const bool bottom = dark(x, y + 1);
            if (top && bottom)
                out.append(QLatin1Char(' '));
            else if (top)
                out.append(QChar(0x2584)); // lower half block
            else if (bottom)
                out.append(QChar(0x2580)); // upper half block
            else
                out.append(QChar(0x2588)); // full block
        }
        out.append(QLatin1Char('\n'));
    }
    return out;
}

} // namespace portcullis
