target_sources(portcullis_core PRIVATE
    core/logging.h core/logging.cpp
)
