// SPDX-License-Identifier: GPL-3.0-or-later
#include "detect/geolocator.h"

#include "detect/behavioursupport.h"

#include <QCoreApplication>
#include <QFile>

#include <maxminddb.h>

#include <cmath>

namespace portcullis::detect {

struct GeoLocator::Handle {
    MMDB_s mmdb {};
};

GeoLocator::GeoLocator() = default;

GeoLocator::~GeoLocator()
{
    if (m_handle)
        MMDB_close(&m_handle->mmdb);
}

bool GeoLocator::open(const QString &path, QString *errorMessage)
{
    auto handle = std::make_unique<Handle>();
    const int status = MMDB_open(QFile::encodeName(path).constData(), MMDB_MODE_MMAP,
        &handle->mmdb);
    if (status != MMDB_SUCCESS) {
        *errorMessage = QCoreApplication::translate("portcullis::detect",
            "%1: cannot open the MaxMind database: %2; give the path of a .mmdb file in "
            "geo.maxmind_database.")
                            .arg(path, QString::fromUtf8(MMDB_strerror(status)));
        return false;
    }
    if (m_handle)
        MMDB_close(&m_handle->mmdb);
    m_handle = std::move(handle);
    return true;
}

bool GeoLocator::isOpen() const
{
    return m_handle != nullptr;
}

namespace {

bool readDouble(MMDB_entry_s *entry, double *value, const char *first, const char *second)
{
    MMDB_entry_data_s data {};
    if (MMDB_get_value(entry, &data, first, second, nullptr) != MMDB_SUCCESS || !data.has_data)
        return false;
    if (data.type == MMDB_DATA_TYPE_DOUBLE)
        *value = data.double_value;
    else if (data.type == MMDB_DATA_TYPE_FLOAT)
        *value = double(data.float_value);
    else
        return false;
    return true;
}

QString readText(MMDB_entry_s *entry, const char *const *path)
{
    MMDB_entry_data_s data {};
    if (MMDB_aget_value(entry, &data, path) != MMDB_SUCCESS || !data.has_data
        || data.type != MMDB_DATA_TYPE_UTF8_STRING)
        return QString();
    return QString::fromUtf8(data.utf8_string, qsizetype(data.data_size));
}

} // namespace

bool GeoLocator::lookup(const QString &ip, GeoInfo *info) const
{
    if (!m_handle || ip.isEmpty())
        return false;
    int addressError = 0;
    int mmdbError = MMDB_SUCCESS;
    MMDB_lookup_result_s result = MMDB_lookup_string(
        &m_handle->mmdb, ip.toLatin1().constData(), &addressError, &mmdbError);
    if (addressError != 0 || mmdbError != MMDB_SUCCESS || !result.found_entry)
        return false;

    *info = GeoInfo();
    info->hasLocation = readDouble(&result.entry, &info->latitude, "location", "latitude")
        && readDouble(&result.entry, &info->longitude, "location", "longitude");
    static const char *const countryPath[] = { "country", "iso_code", nullptr };
    static const char *const cityPath[] = { "city", "names", "en", nullptr };
    info->countryIso = readText(&result.entry, countryPath);
    info->city = readText(&result.entry, cityPath);
    MMDB_entry_data_s asn {};
    if (MMDB_get_value(&result.entry, &asn, "autonomous_system_number", nullptr) == MMDB_SUCCESS
        && asn.has_data && asn.type == MMDB_DATA_TYPE_UINT32)
        info->asn = asn.uint32;
    return true;
}

bool resolveGeo(const Event &event, const GeoLocator *locator, GeoInfo *info)
{
    *info = GeoInfo();
    double latitude = 0;
    double longitude = 0;
    if (extraNumber(event, QStringLiteral("source.geo.location.lat"), &latitude)
        && extraNumber(event, QStringLiteral("source.geo.location.lon"), &longitude)) {
        info->hasLocation = true;
        info->latitude = latitude;
        info->longitude = longitude;
    }
    info->countryIso = extraText(event, QStringLiteral("source.geo.country_iso_code"));
    info->city = extraText(event, QStringLiteral("source.geo.city_name"));
    double asn = 0;
    if (extraNumber(event, QStringLiteral("source.as.number"), &asn) && asn > 0)
        info->asn = quint32(asn);
    if (info->hasLocation || !info->countryIso.isEmpty())
        return true;
    if (!locator || !locator->lookup(event.sourceIp, info))
        return false;
    return info->hasLocation || !info->countryIso.isEmpty() || info->asn != 0;
}

double distanceKm(double lat1, double lon1, double lat2, double lon2)
{
    constexpr double EarthRadiusKm = 6371.0;
    constexpr double Radians = 3.14159265358979323846 / 180.0;
    const double dLat = (lat2 - lat1) * Radians;
    const double dLon = (lon2 - lon1) * Radians;
    const double a = std::sin(dLat / 2) * std::sin(dLat / 2)
        + std::cos(lat1 * Radians) * std::cos(lat2 * Radians) * std::sin(dLon / 2)
            * std::sin(dLon / 2);
    return 2 * EarthRadiusKm * std::asin(std::min(1.0, std::sqrt(a)));
}

} // namespace portcullis::detect
