// SPDX-License-Identifier: GPL-3.0-or-later
#include "fraud/handbook.h"

#include <QCoreApplication>
#include <QDate>
#include <QFile>
#include <QList>

#include <zlib.h>

#include <cerrno>
#include <cstring>

namespace portcullis::fraud {

namespace {

constexpr int MaxLineLength = 4096;
const char ExpectedHeader[]
    = "TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_FRAUD,TX_FRAUD_SCENARIO";

QString tr(const char *text)
{
    return QCoreApplication::translate("portcullis::fraud::Handbook", text);
}

bool parseDigits(QByteArrayView text, qint64 *value)
{
    if (text.isEmpty() || text.size() > 18)
        return false;
    qint64 number = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return false;
        number = number * 10 + (c - '0');
    }
    *value = number;
    return true;
}

bool parseRow(QByteArrayView line, PaymentRecord *record)
{
    QByteArrayView fields[7];
    int count = 0;
    qsizetype start = 0;
    for (qsizetype i = 0; i <= line.size(); ++i) {
        if (i == line.size() || line.at(i) == ',') {
            if (count == 7)
                return false;
            fields[count++] = line.sliced(start, i - start);
            start = i + 1;
        }
    }
    if (count != 7)
        return false;

    qint64 card = 0, terminal = 0, fraud = 0, scenario = 0;
    bool amountOk = false;
    record->amount = fields[4].toByteArray().toDouble(&amountOk);
    if (!amountOk || !parseDigits(fields[2], &card) || !parseDigits(fields[3], &terminal)
        || !parseDigits(fields[5], &fraud) || !parseDigits(fields[6], &scenario)
        || !parseHandbookTime(fields[1], &record->timeMs) || fields[0].isEmpty())
        return false;
    record->id = fields[0].toByteArray();
    record->kind = PaymentKind::Charge;
    record->succeeded = true;
    record->entity[int(EntityKind::Card)] = quint64(card) + 1;
    record->entity[int(EntityKind::Merchant)] = quint64(terminal) + 1;
    record->cardFingerprint = QString::fromLatin1(fields[2]);
    record->merchantId = QString::fromLatin1(fields[3]);
    record->label = fraud != 0 ? 1 : 0;
    record->scenario = int(scenario);
    return true;
}

} // namespace

bool parseHandbookTime(QByteArrayView text, qint64 *utcMs)
{
    // YYYY-MM-DD HH:MM:SS
    if (text.size() != 19 || text.at(4) != '-' || text.at(7) != '-' || text.at(10) != ' '
        || text.at(13) != ':' || text.at(16) != ':')
        return false;
    qint64 year, month, day, hour, minute, second;
    if (!parseDigits(text.sliced(0, 4), &year) || !parseDigits(text.sliced(5, 2), &month)
        || !parseDigits(text.sliced(8, 2), &day) || !parseDigits(text.sliced(11, 2), &hour)
        || !parseDigits(text.sliced(14, 2), &minute) || !parseDigits(text.sliced(17, 2), &second))
        return false;
    const QDate date(static_cast<int>(year), static_cast<int>(month), static_cast<int>(day));
    if (!date.isValid() || hour > 23 || minute > 59 || second > 60)
        return false;
    const qint64 days = date.toJulianDay() - QDate(1970, 1, 1).toJulianDay();
    *utcMs = ((days * 24 + hour) * 60 + minute) * 60000 + second * 1000;
    return true;
}

bool readHandbookCsv(const QString &path, std::vector<PaymentRecord> *records, QString *error)
{
    gzFile file = gzopen(QFile::encodeName(path).constData(), "rb");
    if (!file) {
        *error = tr("cannot open %1: %2").arg(path, QString::fromLocal8Bit(strerror(errno)));
        return false;
    }
    gzbuffer(file, 1 << 18);
    QByteArray buffer(MaxLineLength + 2, Qt::Uninitialized);
    qint64 lineNumber = 0;
    bool ok = true;
    while (gzgets(file, buffer.data(), int(buffer.size()))) {
        ++lineNumber;
        QByteArrayView line(buffer.constData());
        if (!line.endsWith('\n') && line.size() >= MaxLineLength) {
            *error = tr("%1:%2: line longer than %3 bytes").arg(path).arg(lineNumber).arg(MaxLineLength);
            ok = false;
            break;
        }
        while (line.endsWith('\n') || line.endsWith('\r'))
            line.chop(1);
        if (lineNumber == 1) {
            if (line != QByteArrayView(ExpectedHeader)) {
                *error = tr("%1:1: header is not the handbook's %2").arg(path, QLatin1String(ExpectedHeader));
                ok = false;
                break;
            }
            continue;
        }
        if (line.isEmpty())
            continue;
        PaymentRecord record;
        if (!parseRow(line, &record)) {
            *error = tr("%1:%2: invalid row; expected 7 comma-separated fields with a "
                        "YYYY-MM-DD HH:MM:SS time").arg(path).arg(lineNumber);
            ok = false;
            break;
        }
        records->push_back(std::move(record));
    }
    int zerr = Z_OK;
    const char *message = gzerror(file, &zerr);
    if (ok && zerr != Z_OK && zerr != Z_STREAM_END) {
        *error = tr("%1: read failed: %2").arg(path, QString::fromLocal8Bit(message));
        ok = false;
    }
    gzclose(file);
    if (ok && lineNumber == 0) {
        *error = tr("%1: empty file").arg(path);
        ok = false;
    }
    return ok;
}

} // namespace portcullis::fraud
