// SPDX-License-Identifier: GPL-3.0-or-later
#include "fraud/modelpath.h"

#include <QSettings>

// Q_INIT_RESOURCE must be used outside a namespace.
static void initFraudResources()
{
    Q_INIT_RESOURCE(fraud);
}

namespace portcullis::fraud {

QString configuredModelPath()
{
    initFraudResources();
    const QString configured = QSettings().value(QStringLiteral("fraud/modelPath")).toString();
    return configured.isEmpty() ? QStringLiteral(":/fraud/demo-model.json") : configured;
}

} // namespace portcullis::fraud
