// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/alert.h"
#include "event/event.h"

namespace portcullis {

// Receives alerts from detectors. The same Alert::key may arrive many times;
// the latest version replaces the earlier ones.
class AlertSink
{
public:
    virtual ~AlertSink() = default;
    virtual void upsertAlert(const Alert &alert) = 0;
};

// A detector sees every event once, in roughly ascending time order, and
// raises or updates alerts through the sink.
class Detector
{
public:
    virtual ~Detector() = default;
    virtual QString ruleId() const = 0;
    virtual void processEvent(const Event &event, AlertSink &sink) = 0;
    // True when processEvent() ignores every event whose category is not
    // EventCategory::Web, so the engine passes it only web events.
    virtual bool webEventsOnly() const { return false; }
    // Sends the alerts changed since the last flush. A detector may hold back
    // updates of a running burst until then, so that it copies each alert
    // once per batch of events instead of once per event.
    virtual void flush(AlertSink &sink) { Q_UNUSED(sink); }
    // Called at the end of the input; emits anything still pending.
    virtual void finish(AlertSink &sink) { Q_UNUSED(sink); }
};

} // namespace portcullis
