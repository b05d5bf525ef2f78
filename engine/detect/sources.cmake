target_sources(portcullis_detect PRIVATE
    detect/alert.h detect/alert.cpp
    detect/detector.h
)
