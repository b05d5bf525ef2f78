// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fraud/payment.h"

#include <QString>

#include <array>
#include <cmath>

namespace portcullis::fraud {

// The model's input columns. Every value is a float; NaN means missing (the
// source has no such entity or no history yet), which XGBoost and the tree
// walk send down each split's default branch. docs/fraud.md defines each one.
namespace feature {

inline constexpr int WindowCount = 3;  // 0 hourly (1 h), 1 daily (24 h), 2 weekly (7 days)
enum Counter : int { TotalCharges, DeclinedCharges, AmountInUsd, CounterCount };

// Index of a velocity counter: Radar-style names such as
// declined_charges_per_ip_address_hourly.
constexpr int velocity(EntityKind entity, Counter counter, int window)
{
    return (int(entity) * CounterCount + int(counter)) * WindowCount + window;
}

inline constexpr int VelocityEnd = EntityKindCount * CounterCount * WindowCount;

enum : int {
    RefundsPerCardWeekly = VelocityEnd,
    RefundsPerCustomerWeekly,
    RefundsPerMerchantWeekly,
    DisputesPerCardWeekly,
    DisputesPerCustomerWeekly,
    DisputesPerMerchantWeekly,
    EarlyFraudWarningsPerCardWeekly,
    EarlyFraudWarningsPerCustomerWeekly,
    EarlyFraudWarningsPerMerchantWeekly,
    CardsPerIpAddressDaily,
    CardsPerCustomerWeekly,
    CardsPerDeviceDaily,
    CardsPerEmailWeekly,
    Amount,
    AmountInUsdValue,
    PayerAmountMean,
    PayerAmountMax,
    AmountToPayerMeanRatio,
    AmountToPayerMaxRatio,
    PayerPaymentCount,
    PayerHighRatioChargesWeekly,
    CardCountryDiffersFromIpCountry,
    CvcCheckFailed,
    PostalCodeCheckFailed,
    MinutesSinceCardFirstSeen,
    CustomerAccountAgeDays,
    MerchantAgeDays,
    DeclinesBeforeSuccessHourly,
    MinutesSincePayoutDestinationChange,
    MerchantKnownFraudsDaily,
    MerchantKnownFraudsWeekly,
    MerchantKnownFrauds28d,
    MerchantLabelledCharges28d,
    MerchantFraudRateWeekly,
    MerchantFraudRate28d,
    MerchantFraudRateDaily,
    MerchantFraudRunDays,
    Count
};

} // namespace feature

inline constexpr int FeatureCount = feature::Count;
using FeatureVector = std::array<float, FeatureCount>;

inline float missingValue() { return std::nanf(""); }
inline bool isMissing(float value) { return std::isnan(value); }

// The feature's name as rules and model files spell it ("amount_in_usd").
const QString &featureName(int index);
// Index of a feature name, -1 when unknown.
int featureIndex(QStringView name);
// A short description in words for decision reasons ("amount compared with
// the customer's average"), translated.
QString featureDescription(int index);

} // namespace portcullis::fraud
