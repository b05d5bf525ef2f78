// SPDX-License-Identifier: GPL-3.0-or-later
// Test helper: imports files into a database with small batches and prints
// "committed N" after each batch, so that tst_ingest can kill it mid-import.
// Usage: ingest_import_child DATABASE BATCH_SIZE FILE...
#include "ingest/fileimporter.h"
#include "ingesttestutil.h"

#include <QCoreApplication>
#include <QThread>

#include <cstdio>

using namespace portcullis;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList arguments = app.arguments();
    if (arguments.size() < 4) {
        std::fprintf(stderr, "usage: ingest_import_child DATABASE BATCH_SIZE FILE...\n");
        return 2;
    }
    Store store;
    QString error;
    if (!store.open(arguments.at(1), &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    ImportOptions options;
    options.batchSize = arguments.at(2).toInt();
    ImportService service(store, options);
    ImportSummary summary;
    const bool ok = service.importFiles(testing::identityWith(Role::Analyst), arguments.mid(3),
        &summary, &error, [](const ImportProgress &progress) {
            std::printf("committed %lld\n", static_cast<long long>(progress.bytesDone));
            std::fflush(stdout);
            // Slow down so the parent can kill it between and during commits.
            QThread::msleep(2);
            return true;
        });
    std::printf("done %d\n", ok ? 1 : 0);
    return ok ? 0 : 1;
}
