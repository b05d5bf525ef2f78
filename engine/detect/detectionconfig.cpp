// SPDX-License-Identifier: GPL-3.0-or-later
#include "detect/detectionengine.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSettings>

namespace portcullis {

namespace {

constexpr char Context[] = "portcullis::DetectionConfig";
constexpr qint64 MaxWindowSeconds = 7 * 24 * 3600;
constexpr int MaxCount = 10'000'000;

struct CountKey {
    const char *name;
    int DetectionConfig::*member;
    int minimum;
    int maximum;
};

// Windows are written in seconds in files and held in milliseconds.
struct DurationKey {
    const char *name;
    qint64 DetectionConfig::*member;
    qint64 minimumSeconds;
    qint64 maximumSeconds;
};

struct ListKey {
    const char *name;
    QStringList DetectionConfig::*member;
};

struct TextKey {
    const char *name;
    QString DetectionConfig::*member;
};

const CountKey countKeys[] = {
    { "ssh_brute_force.min_attempts", &DetectionConfig::bruteForceMinAttempts, 1, MaxCount },
    { "ssh_brute_force.high_severity_attempts", &DetectionConfig::bruteForceHighAttempts, 1,
        MaxCount },
    { "credential_stuffing.min_users", &DetectionConfig::stuffingMinUsers, 2, MaxCount },
    { "credential_stuffing.high_severity_users", &DetectionConfig::stuffingHighUsers, 2, MaxCount },
    { "success_after_failures.min_failures", &DetectionConfig::successMinFailures, 1, MaxCount },
    { "success_after_failures.own_account_min_failures",
        &DetectionConfig::successOwnAccountMinFailures, 1, MaxCount },
    { "distributed_login.min_sources", &DetectionConfig::distributedMinSources, 2, MaxCount },
    { "distributed_login.max_median_attempts", &DetectionConfig::distributedMaxMedianAttempts, 1,
        MaxCount },
    { "web_scanning.min_404_responses", &DetectionConfig::scan404MinResponses, 1, MaxCount },
    { "web_scanning.min_probe_paths", &DetectionConfig::scanMinProbePaths, 1, MaxCount },
    { "general.max_entity_values", &DetectionConfig::maxEntityValues, 1, 100'000 },
    { "account_brute_force.min_failures", &DetectionConfig::accountBruteForceMinFailures, 2,
        MaxCount },
    { "account_takeover.min_failures", &DetectionConfig::takeoverMinFailures, 1, MaxCount },
    { "impossible_travel.min_distance_km", &DetectionConfig::travelMinDistanceKm, 1, 20'000 },
    { "impossible_travel.max_speed_kmh", &DetectionConfig::travelMaxSpeedKmh, 1, 100'000 },
    { "device_rotation.max_devices_per_account", &DetectionConfig::deviceMaxPerAccount, 2,
        MaxCount },
    { "device_rotation.max_user_agents_per_source", &DetectionConfig::userAgentMaxPerSource, 2,
        MaxCount },
    { "api_abuse.min_requests_per_minute", &DetectionConfig::apiMinRequestsPerMinute, 1,
        MaxCount },
    { "api_abuse.cold_requests_per_minute", &DetectionConfig::apiColdRequestsPerMinute, 1,
        MaxCount },
    { "scraping.min_ids", &DetectionConfig::scrapeMinIds, 2, 100'000 },
    { "scraping.min_sequential_percent", &DetectionConfig::scrapeMinSequentialPercent, 0, 100 },
    { "exfiltration.min_megabytes_per_hour", &DetectionConfig::exfilMinMegabytes, 1, 10'000'000 },
    { "exfiltration.cold_megabytes_per_hour", &DetectionConfig::exfilColdMegabytes, 1,
        10'000'000 },
    { "request_flood.min_requests_per_minute", &DetectionConfig::floodMinRequestsPerMinute, 1,
        MaxCount },
    { "baseline.min_samples", &DetectionConfig::baselineMinSamples, 1, 32 },
    { "baseline.mad_multiplier", &DetectionConfig::baselineMadMultiplier, 1, 1000 },
    { "baseline.ratio", &DetectionConfig::baselineRatio, 1, 1000 },
    { "baseline.max_entities", &DetectionConfig::baselineMaxEntities, 100, 10'000'000 },
};

const DurationKey durationKeys[] = {
    { "ssh_brute_force.window_seconds", &DetectionConfig::bruteForceWindowMs, 1, MaxWindowSeconds },
    { "credential_stuffing.window_seconds", &DetectionConfig::stuffingWindowMs, 1,
        MaxWindowSeconds },
    { "success_after_failures.window_seconds", &DetectionConfig::successWindowMs, 1,
        MaxWindowSeconds },
    { "distributed_login.window_seconds", &DetectionConfig::distributedWindowMs, 1,
        MaxWindowSeconds },
    { "web_scanning.window_404_seconds", &DetectionConfig::scan404WindowMs, 1, MaxWindowSeconds },
    { "web_scanning.probe_window_seconds", &DetectionConfig::scanProbeWindowMs, 1,
        MaxWindowSeconds },
    { "general.reorder_tolerance_seconds", &DetectionConfig::reorderToleranceMs, 0, 24 * 3600 },
    { "account_brute_force.window_seconds", &DetectionConfig::accountBruteForceWindowMs, 1,
        MaxWindowSeconds },
    { "account_takeover.failure_window_seconds", &DetectionConfig::takeoverFailureWindowMs, 1,
        MaxWindowSeconds },
    { "account_takeover.chain_window_seconds", &DetectionConfig::takeoverChainWindowMs, 1,
        MaxWindowSeconds },
    { "session_hijack.idle_seconds", &DetectionConfig::sessionIdleMs, 60, MaxWindowSeconds },
    { "device_rotation.device_window_seconds", &DetectionConfig::deviceWindowMs, 1,
        MaxWindowSeconds },
    { "device_rotation.user_agent_window_seconds", &DetectionConfig::userAgentWindowMs, 1,
        MaxWindowSeconds },
    { "scraping.window_seconds", &DetectionConfig::scrapeWindowMs, 1, MaxWindowSeconds },
    { "baseline.idle_seconds", &DetectionConfig::baselineIdleMs, 3600, 90 * 24 * 3600 },
};

const ListKey listKeys[] = {
    { "distributed_login.login_paths", &DetectionConfig::loginPaths },
    { "web_scanning.probe_patterns", &DetectionConfig::probePatterns },
    { "web_scanning.not_found_probe_patterns", &DetectionConfig::notFoundProbePatterns },
};

const TextKey textKeys[] = {
    { "geo.maxmind_database", &DetectionConfig::geoDatabasePath },
};

QString translate(const char *text)
{
    return QCoreApplication::translate(Context, text);
}

// Splits "section.key" for nested JSON objects and INI groups.
std::pair<QString, QString> splitKey(const char *name)
{
    const QString full = QLatin1String(name);
    const qsizetype dot = full.indexOf(QLatin1Char('.'));
    return { full.left(dot), full.mid(dot + 1) };
}

QString rangeError(const char *name, const QString &value, qint64 minimum, qint64 maximum)
{
    return translate("%1: %2 is out of range; use a whole number from %3 to %4.")
        .arg(QLatin1String(name), value)
        .arg(minimum)
        .arg(maximum);
}

// Reads one value as a whole number; strings of digits (from INI files) are accepted.
bool readWholeNumber(const QVariant &value, qint64 *number)
{
    bool ok = false;
    if (value.typeId() == QMetaType::Double) {
        const double d = value.toDouble();
        *number = qint64(d);
        return double(*number) == d;
    }
    *number = value.toString().trimmed().toLongLong(&ok);
    return ok;
}

} // namespace

DetectionConfig::DetectionConfig()
    : loginPaths({ QStringLiteral("/login"), QStringLiteral("/signin"), QStringLiteral("/sign_in"),
        QStringLiteral("/logon"), QStringLiteral("/wp-login.php"), QStringLiteral("/login_form"),
        QStringLiteral("/login.php"), QStringLiteral("/auth/login"), QStringLiteral("/session"),
        QStringLiteral("/sessions"), QStringLiteral("/xmlrpc.php") })
    , probePatterns({ QStringLiteral("/wp-admin"), QStringLiteral("/wp-login.php"),
          QStringLiteral("/xmlrpc.php"), QStringLiteral("/wp-config"),
          QStringLiteral("/phpmyadmin"), QStringLiteral("/pma/"), QStringLiteral("/myadmin"),
          QStringLiteral("/.env"), QStringLiteral("/.git/"), QStringLiteral("/.svn/"),
          QStringLiteral("/.htaccess"), QStringLiteral("/.aws/"), QStringLiteral("/.ssh/"),
          QStringLiteral("/.ds_store"), QStringLiteral("/etc/passwd"),
          QStringLiteral("etc%2fpasswd"), QStringLiteral("/win.ini"), QStringLiteral("../"),
          QStringLiteral("..%2f"), QStringLiteral("..%5c"), QStringLiteral("%2e%2e"),
          QStringLiteral("%252e%252e"), QStringLiteral("/cgi-bin/"), QStringLiteral("/shell.php"),
          QStringLiteral("/boaform"), QStringLiteral("/hnap1"), QStringLiteral("/manager/html"),
          QStringLiteral("/vendor/phpunit"), QStringLiteral("/solr/admin"),
          QStringLiteral("/actuator"), QStringLiteral("/server-status"),
          QStringLiteral("/setup.php"), QStringLiteral("/jmx-console") })
    , notFoundProbePatterns({ QStringLiteral("/wp-content/plugins/"),
          QStringLiteral("/wp-content/themes/"), QStringLiteral("/wp-includes/") })
{
}

QString DetectionConfig::validate() const
{
    QStringList errors;
    for (const CountKey &key : countKeys) {
        const int value = this->*key.member;
        if (value < key.minimum || value > key.maximum)
            errors << rangeError(key.name, QString::number(value), key.minimum, key.maximum);
    }
    for (const DurationKey &key : durationKeys) {
        const qint64 seconds = (this->*key.member) / 1000;
        if ((this->*key.member) % 1000 != 0 || seconds < key.minimumSeconds
            || seconds > key.maximumSeconds) {
            errors << rangeError(key.name, QString::number(double(this->*key.member) / 1000.0),
                key.minimumSeconds, key.maximumSeconds);
        }
    }
    for (const ListKey &key : listKeys) {
        for (const QString &entry : this->*key.member) {
            if (entry.trimmed().isEmpty())
                errors << translate("%1: contains an empty entry; remove it.")
                              .arg(QLatin1String(key.name));
        }
    }
    if (!geoDatabasePath.isEmpty() && !QFileInfo(geoDatabasePath).isReadable())
        errors << translate("geo.maxmind_database: %1 is not a readable file; give the path of a "
                            "MaxMind .mmdb database or leave it empty.")
                      .arg(geoDatabasePath);
    if (apiColdRequestsPerMinute < apiMinRequestsPerMinute)
        errors << translate("api_abuse.cold_requests_per_minute: must be at least "
                            "api_abuse.min_requests_per_minute (%1).")
                      .arg(apiMinRequestsPerMinute);
    if (exfilColdMegabytes < exfilMinMegabytes)
        errors << translate("exfiltration.cold_megabytes_per_hour: must be at least "
                            "exfiltration.min_megabytes_per_hour (%1).")
                      .arg(exfilMinMegabytes);
    if (bruteForceHighAttempts < bruteForceMinAttempts)
        errors << translate("ssh_brute_force.high_severity_attempts: must be at least "
                            "ssh_brute_force.min_attempts (%1).")
                      .arg(bruteForceMinAttempts);
    if (stuffingHighUsers < stuffingMinUsers)
        errors << translate("credential_stuffing.high_severity_users: must be at least "
                            "credential_stuffing.min_users (%1).")
                      .arg(stuffingMinUsers);
    return errors.join(QLatin1Char('\n'));
}

QJsonObject DetectionConfig::toJson() const
{
    QVariantMap sections;
    auto put = [&sections](const char *name, const QVariant &value) {
        const auto [section, key] = splitKey(name);
        QVariantMap object = sections.value(section).toMap();
        object.insert(key, value);
        sections.insert(section, object);
    };
    for (const CountKey &key : countKeys)
        put(key.name, this->*key.member);
    for (const DurationKey &key : durationKeys)
        put(key.name, (this->*key.member) / 1000);
    for (const ListKey &key : listKeys)
        put(key.name, this->*key.member);
    for (const TextKey &key : textKeys)
        put(key.name, this->*key.member);
    return QJsonObject::fromVariantMap(sections);
}

// Applies `lookup(name)` for every known key; returns the error messages.
template<typename Lookup> static QStringList applyValues(DetectionConfig &config, Lookup lookup)
{
    QStringList errors;
    for (const CountKey &key : countKeys) {
        const QVariant value = lookup(key.name);
        qint64 number = 0;
        if (!value.isValid())
            continue;
        if (!readWholeNumber(value, &number) || number < key.minimum || number > key.maximum)
            errors << rangeError(key.name, value.toString(), key.minimum, key.maximum);
        else
            config.*key.member = int(number);
    }
    for (const DurationKey &key : durationKeys) {
        const QVariant value = lookup(key.name);
        qint64 seconds = 0;
        if (!value.isValid())
            continue;
        if (!readWholeNumber(value, &seconds) || seconds < key.minimumSeconds
            || seconds > key.maximumSeconds) {
            errors << rangeError(
                key.name, value.toString(), key.minimumSeconds, key.maximumSeconds);
        } else {
            config.*key.member = seconds * 1000;
        }
    }
    for (const ListKey &key : listKeys) {
        const QVariant value = lookup(key.name);
        if (!value.isValid())
            continue;
        QStringList entries = value.toStringList();
        if (value.typeId() == QMetaType::QString)
            entries = value.toString().split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (QString &entry : entries)
            entry = entry.trimmed();
        config.*key.member = entries;
    }
    for (const TextKey &key : textKeys) {
        const QVariant value = lookup(key.name);
        if (value.isValid())
            config.*key.member = value.toString().trimmed();
    }
    return errors;
}

static bool isKnownKey(const QString &name)
{
    for (const CountKey &key : countKeys)
        if (name == QLatin1String(key.name))
            return true;
    for (const DurationKey &key : durationKeys)
        if (name == QLatin1String(key.name))
            return true;
    for (const ListKey &key : listKeys)
        if (name == QLatin1String(key.name))
            return true;
    for (const TextKey &key : textKeys)
        if (name == QLatin1String(key.name))
            return true;
    return false;
}

static QString unknownKeyError(const QString &name)
{
    return translate("%1: unknown key; see docs/detections.md for the keys.").arg(name);
}

bool DetectionConfig::fromJson(const QJsonObject &object, QString *errorMessage)
{
    QStringList errors;
    for (auto section = object.begin(); section != object.end(); ++section) {
        if (!section->isObject()) {
            errors << translate("%1: expected an object of keys.").arg(section.key());
            continue;
        }
        const QJsonObject keys = section->toObject();
        for (auto key = keys.begin(); key != keys.end(); ++key) {
            const QString name = section.key() + QLatin1Char('.') + key.key();
            if (!isKnownKey(name))
                errors << unknownKeyError(name);
        }
    }
    DetectionConfig candidate = *this;
    errors << applyValues(candidate, [&object](const char *name) {
        const auto [section, key] = splitKey(name);
        const QJsonValue value = object.value(section).toObject().value(key);
        return value.isUndefined() ? QVariant() : value.toVariant();
    });
    const QString invalid = candidate.validate();
    if (!invalid.isEmpty())
        errors << invalid;
    if (!errors.isEmpty()) {
        *errorMessage = errors.join(QLatin1Char('\n'));
        return false;
    }
    *this = candidate;
    return true;
}

bool DetectionConfig::loadFromFile(const QString &path, QString *errorMessage)
{
    if (!QFile::exists(path)) {
        *errorMessage = translate("%1: file not found.").arg(path);
        return false;
    }
    QString error;
    bool ok = false;
    if (path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive)) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            *errorMessage = translate("%1: cannot read: %2").arg(path, file.errorString());
            return false;
        }
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
        if (!document.isObject()) {
            *errorMessage = translate("%1: invalid JSON at byte %2: %3; the file must hold one "
                                      "object of sections.")
                                .arg(path)
                                .arg(parseError.offset)
                                .arg(parseError.errorString());
            return false;
        }
        ok = fromJson(document.object(), &error);
    } else {
        QSettings settings(path, QSettings::IniFormat);
        if (settings.status() != QSettings::NoError) {
            *errorMessage = translate("%1: invalid INI file.").arg(path);
            return false;
        }
        QStringList errors;
        for (const QString &name : settings.allKeys()) {
            if (!isKnownKey(QString(name).replace(QLatin1Char('/'), QLatin1Char('.'))))
                errors << unknownKeyError(name);
        }
        DetectionConfig candidate = *this;
        errors << applyValues(candidate, [&settings](const char *name) {
            return settings.value(
                QString::fromLatin1(name).replace(QLatin1Char('.'), QLatin1Char('/')));
        });
        const QString invalid = candidate.validate();
        if (!invalid.isEmpty())
            errors << invalid;
        ok = errors.isEmpty();
        if (ok)
            *this = candidate;
        error = errors.join(QLatin1Char('\n'));
    }
    if (!ok)
        *errorMessage = translate("%1: invalid detection settings:\n%2").arg(path, error);
    return ok;
}

bool DetectionConfig::saveToFile(const QString &path, QString *errorMessage) const
{
    if (path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive)) {
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly)) {
            *errorMessage = translate("%1: cannot write: %2").arg(path, file.errorString());
            return false;
        }
        file.write(QJsonDocument(toJson()).toJson(QJsonDocument::Indented));
        if (!file.commit()) {
            *errorMessage = translate("%1: cannot write: %2").arg(path, file.errorString());
            return false;
        }
        return true;
    }
    QSettings settings(path, QSettings::IniFormat);
    settings.clear();
    const QJsonObject sections = toJson();
    for (auto section = sections.begin(); section != sections.end(); ++section) {
        const QJsonObject keys = section->toObject();
        for (auto key = keys.begin(); key != keys.end(); ++key)
            settings.setValue(section.key() + QLatin1Char('/') + key.key(), key->toVariant());
    }
    settings.sync();
    if (settings.status() != QSettings::NoError) {
        *errorMessage = translate("%1: cannot write the INI file.").arg(path);
        return false;
    }
    return true;
}

} // namespace portcullis
