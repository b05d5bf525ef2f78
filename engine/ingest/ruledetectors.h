// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/detectionengine.h"
#include "sigma/sigmadetector.h"

#include <QSet>
#include <QStringList>

#include <memory>

namespace portcullis {

// The Sigma tag by which a rule states that it is the Sigma form of a built-in
// detector: "portcullis.builtin.ssh-brute-force" for ssh-brute-force. Where
// the built-in detectors run (file import, detect, telemetry), such a rule
// raises no alerts, so each attack gets one alert, from the built-in detector.
inline constexpr char BuiltinEquivalentTagPrefix[] = "portcullis.builtin.";

// Loads the Sigma rules for an import or a telemetry connection: the shipped
// rules unless `shipped` is false, then the rule files and folders of
// `extraPaths`. Returns null with `errorMessage` set when a path cannot be
// read, and null without an error when there is nothing to load. Each broken
// rule is left out and described in `warnings` ("FILE:LINE: message").
std::shared_ptr<const sigma::SigmaRules> loadDetectionRules(
    bool shipped, const QStringList &extraPaths, QStringList *warnings, QString *errorMessage);

// The alert rule ids (SigmaDetector::alertRuleId()) of the detection rules and
// correlations that carry a BuiltinEquivalentTagPrefix tag.
QSet<QString> builtinEquivalentRuleIds(const sigma::SigmaRules &rules);

// Adds a SigmaDetector for `rules` to `engine`, after its built-in detectors.
// Alerts of the rules that builtinEquivalentRuleIds() names are dropped.
void addSigmaDetector(DetectionEngine &engine, std::shared_ptr<const sigma::SigmaRules> rules);

} // namespace portcullis
