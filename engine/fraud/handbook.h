// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fraud/payment.h"

#include <QString>

#include <vector>

namespace portcullis::fraud {

// Reads the Fraud Detection Handbook's simulated transactions (CSV, plain or
// gzip-compressed) with the columns TRANSACTION_ID, TX_DATETIME, CUSTOMER_ID,
// TERMINAL_ID, TX_AMOUNT, TX_FRAUD, TX_FRAUD_SCENARIO. Each row becomes a
// succeeded charge: CUSTOMER_ID is the card, TERMINAL_ID the merchant,
// TX_DATETIME is read as UTC and the amount as US dollars. The label is kept
// in PaymentRecord::label; the feature code releases it only after the label
// delay. Rows are appended to `records`.
bool readHandbookCsv(const QString &path, std::vector<PaymentRecord> *records, QString *error);

// Parses "2018-07-25 00:00:29" as UTC milliseconds; false when malformed.
bool parseHandbookTime(QByteArrayView text, qint64 *utcMs);

} // namespace portcullis::fraud
