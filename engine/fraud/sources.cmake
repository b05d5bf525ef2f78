# SPDX-License-Identifier: GPL-3.0-or-later
target_sources(portcullis_fraud PRIVATE
    fraud/payment.h fraud/payment.cpp
    fraud/handbook.h fraud/handbook.cpp
    fraud/featureset.h fraud/featureset.cpp
    fraud/entitystate.h
    fraud/features.h fraud/features.cpp
    fraud/treemodel.h fraud/treemodel.cpp
    fraud/treeeval.h fraud/treeeval.cpp
    fraud/rules.h fraud/ruleexpression.h fraud/ruleparser.cpp fraud/rules.cpp
    fraud/trainer.h fraud/trainer.cpp
    fraud/calibration.h fraud/calibration.cpp
    fraud/metrics.h fraud/metrics.cpp
    fraud/evaluation.h fraud/evaluation.cpp
    fraud/fraudengine.h fraud/fraudengine.cpp
    fraud/fraudstore.h fraud/fraudstore.cpp
)
# zlib reads the gzip-compressed handbook CSV files; the store keeps
# decisions, lists and evaluations. GLOBAL lets every consumer of
# portcullis_fraud resolve ZLIB::ZLIB.
find_package(ZLIB REQUIRED GLOBAL)
target_link_libraries(portcullis_fraud PUBLIC portcullis_store ZLIB::ZLIB)
include(fraud/review.cmake)
