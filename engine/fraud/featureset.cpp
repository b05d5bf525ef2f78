// SPDX-License-Identifier: GPL-3.0-or-later
#include "fraud/featureset.h"

#include <QCoreApplication>
#include <QHash>
#include <QStringList>

namespace portcullis::fraud {

namespace {

const char *const EntityNames[EntityKindCount]
    = {"card", "customer", "ip_address", "device", "email", "merchant"};
const char *const EntityWords[EntityKindCount] = {QT_TRANSLATE_NOOP("portcullis::fraud", "card"),
    QT_TRANSLATE_NOOP("portcullis::fraud", "customer"),
    QT_TRANSLATE_NOOP("portcullis::fraud", "IP address"),
    QT_TRANSLATE_NOOP("portcullis::fraud", "device"),
    QT_TRANSLATE_NOOP("portcullis::fraud", "email"),
    QT_TRANSLATE_NOOP("portcullis::fraud", "merchant")};
const char *const CounterNames[feature::CounterCount]
    = {"total_charges", "declined_charges", "amount_in_usd"};
const char *const WindowNames[feature::WindowCount] = {"hourly", "daily", "weekly"};

struct Named
{
    const char *name;
    const char *description;
};

// Names and descriptions of the features after the velocity block, in
// feature:: order.
const Named OtherFeatures[] = {
    {"refunds_per_card_weekly", QT_TRANSLATE_NOOP("portcullis::fraud", "refunds on this card in 7 days")},
    {"refunds_per_customer_weekly", QT_TRANSLATE_NOOP("portcullis::fraud", "refunds for this customer in 7 days")},
    {"refunds_per_merchant_weekly", QT_TRANSLATE_NOOP("portcullis::fraud", "refunds at this merchant in 7 days")},
    {"disputes_per_card_weekly", QT_TRANSLATE_NOOP("portcullis::fraud", "disputes on this card in 7 days")},
    {"disputes_per_customer_weekly", QT_TRANSLATE_NOOP("portcullis::fraud", "disputes for this customer in 7 days")},
    {"disputes_per_merchant_weekly", QT_TRANSLATE_NOOP("portcullis::fraud", "disputes at this merchant in 7 days")},
    {"early_fraud_warnings_per_card_weekly", QT_TRANSLATE_NOOP("portcullis::fraud", "early fraud warnings on this card in 7 days")},
    {"early_fraud_warnings_per_customer_weekly", QT_TRANSLATE_NOOP("portcullis::fraud", "early fraud warnings for this customer in 7 days")},
    {"early_fraud_warnings_per_merchant_weekly", QT_TRANSLATE_NOOP("portcullis::fraud", "early fraud warnings at this merchant in 7 days")},
    {"cards_per_ip_address_daily", QT_TRANSLATE_NOOP("portcullis::fraud", "distinct cards from this IP address in 24 hours")},
    {"cards_per_customer_weekly", QT_TRANSLATE_NOOP("portcullis::fraud", "distinct cards of this customer in 7 days")},
    {"cards_per_device_daily", QT_TRANSLATE_NOOP("portcullis::fraud", "distinct cards on this device in 24 hours")},
    {"cards_per_email_weekly", QT_TRANSLATE_NOOP("portcullis::fraud", "distinct cards with this email in 7 days")},
    {"amount", QT_TRANSLATE_NOOP("portcullis::fraud", "amount in the charge's currency")},
    {"amount_in_usd", QT_TRANSLATE_NOOP("portcullis::fraud", "amount in US dollars")},
    {"payer_amount_mean", QT_TRANSLATE_NOOP("portcullis::fraud", "the payer's average amount so far")},
    {"payer_amount_max", QT_TRANSLATE_NOOP("portcullis::fraud", "the payer's largest amount so far")},
    {"amount_to_payer_mean_ratio", QT_TRANSLATE_NOOP("portcullis::fraud", "amount compared with the payer's average")},
    {"amount_to_payer_max_ratio", QT_TRANSLATE_NOOP("portcullis::fraud", "amount compared with the payer's largest")},
    {"payer_payment_count", QT_TRANSLATE_NOOP("portcullis::fraud", "payments the payer made before")},
    {"payer_high_ratio_charges_weekly", QT_TRANSLATE_NOOP("portcullis::fraud", "the payer's charges over 3 times their average in 7 days")},
    {"card_country_differs_from_ip_country", QT_TRANSLATE_NOOP("portcullis::fraud", "card country differs from IP country")},
    {"cvc_check_failed", QT_TRANSLATE_NOOP("portcullis::fraud", "CVC check failed")},
    {"postal_code_check_failed", QT_TRANSLATE_NOOP("portcullis::fraud", "postal code check failed")},
    {"minutes_since_card_first_seen", QT_TRANSLATE_NOOP("portcullis::fraud", "minutes since the card was first seen")},
    {"customer_account_age_days", QT_TRANSLATE_NOOP("portcullis::fraud", "days since the customer was first seen")},
    {"merchant_age_days", QT_TRANSLATE_NOOP("portcullis::fraud", "days since the merchant was first seen")},
    {"declines_before_success_hourly", QT_TRANSLATE_NOOP("portcullis::fraud", "declines on this card in the hour before this success")},
    {"minutes_since_payout_destination_change", QT_TRANSLATE_NOOP("portcullis::fraud", "minutes since the payout destination changed")},
    {"merchant_known_frauds_daily", QT_TRANSLATE_NOOP("portcullis::fraud", "frauds at this merchant confirmed in 24 hours")},
    {"merchant_known_frauds_weekly", QT_TRANSLATE_NOOP("portcullis::fraud", "frauds at this merchant confirmed in 7 days")},
    {"merchant_known_frauds_28d", QT_TRANSLATE_NOOP("portcullis::fraud", "frauds at this merchant confirmed in 28 days")},
    {"merchant_labelled_charges_28d", QT_TRANSLATE_NOOP("portcullis::fraud", "charges at this merchant labelled in 28 days")},
    {"merchant_fraud_rate_weekly", QT_TRANSLATE_NOOP("portcullis::fraud", "confirmed fraud rate at this merchant, 7 days")},
    {"merchant_fraud_rate_28d", QT_TRANSLATE_NOOP("portcullis::fraud", "confirmed fraud rate at this merchant, 28 days")},
    {"merchant_fraud_rate_daily", QT_TRANSLATE_NOOP("portcullis::fraud", "confirmed fraud rate at this merchant, 24 hours")},
    {"merchant_fraud_run_days", QT_TRANSLATE_NOOP("portcullis::fraud", "days this merchant's labels have been frauds without a break")},
};
static_assert(sizeof(OtherFeatures) / sizeof(OtherFeatures[0]) == FeatureCount - feature::VelocityEnd,
    "every feature after the velocity block needs a name");

struct Tables
{
    QStringList names;
    QHash<QString, int> indexes;
};

const Tables &tables()
{
    static const Tables instance = [] {
        Tables t;
        t.names.resize(FeatureCount);
        for (int e = 0; e < EntityKindCount; ++e)
            for (int c = 0; c < feature::CounterCount; ++c)
                for (int w = 0; w < feature::WindowCount; ++w)
                    t.names[feature::velocity(EntityKind(e), feature::Counter(c), w)]
                        = QStringLiteral("%1_per_%2_%3")
                              .arg(QLatin1String(CounterNames[c]), QLatin1String(EntityNames[e]),
                                  QLatin1String(WindowNames[w]));
        for (int i = feature::VelocityEnd; i < FeatureCount; ++i)
            t.names[i] = QLatin1String(OtherFeatures[i - feature::VelocityEnd].name);
        for (int i = 0; i < FeatureCount; ++i)
            t.indexes.insert(t.names[i], i);
        return t;
    }();
    return instance;
}

} // namespace

const QString &featureName(int index)
{
    return tables().names.at(index);
}

int featureIndex(QStringView name)
{
    return tables().indexes.value(name.toString(), -1);
}

QString featureDescription(int index)
{
    if (index >= feature::VelocityEnd)
        return QCoreApplication::translate(
            "portcullis::fraud", OtherFeatures[index - feature::VelocityEnd].description);
    const int window = index % feature::WindowCount;
    const int counter = (index / feature::WindowCount) % feature::CounterCount;
    const int entity = index / (feature::WindowCount * feature::CounterCount);
    static const char *const periods[] = {QT_TRANSLATE_NOOP("portcullis::fraud", "1 hour"),
        QT_TRANSLATE_NOOP("portcullis::fraud", "24 hours"),
        QT_TRANSLATE_NOOP("portcullis::fraud", "7 days")};
    static const char *const counters[] = {
        QT_TRANSLATE_NOOP("portcullis::fraud", "charges by this %1 in %2"),
        QT_TRANSLATE_NOOP("portcullis::fraud", "declined charges by this %1 in %2"),
        QT_TRANSLATE_NOOP("portcullis::fraud", "US dollars charged by this %1 in %2")};
    return QCoreApplication::translate("portcullis::fraud", counters[counter])
        .arg(QCoreApplication::translate("portcullis::fraud", EntityWords[entity]),
            QCoreApplication::translate("portcullis::fraud", periods[window]));
}

} // namespace portcullis::fraud
