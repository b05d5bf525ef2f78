target_sources(portcullis_fraud PRIVATE
    fraud/placeholder.cpp
)
include(fraud/review.cmake)
