# SPDX-License-Identifier: GPL-3.0-or-later
# Fraud alerts (a Detector wrapping FraudEngine) and the review decisions,
# owned by the fraud review part. Review decisions check permissions and
# write the audit log, so the library needs the security part.
target_sources(portcullis_fraud PRIVATE
    fraud/fraudalerts.h fraud/fraudalerts.cpp
    fraud/fraudalertsstate.h fraud/fraudalertspatterns.cpp
    fraud/fraudalertssupport.h fraud/fraudalertsaccounts.cpp
)
target_link_libraries(portcullis_fraud PUBLIC portcullis_security)
target_sources(portcullis_fraud PRIVATE
    fraud/review.h fraud/review.cpp
    fraud/reviewqueue.h fraud/reviewqueue.cpp
)

# The model that live scoring loads, and the demo model trained on the
# stand-in's labelled payments.
target_sources(portcullis_fraud PRIVATE
    fraud/modelpath.h fraud/modelpath.cpp
    ${PROJECT_SOURCE_DIR}/resources/fraud/fraud.qrc
)
set_property(TARGET portcullis_fraud PROPERTY AUTORCC ON)
target_sources(portcullis_fraud PRIVATE fraud/listservice.h fraud/listservice.cpp)
