target_sources(portcullis_respond PRIVATE
    respond/alertservice.h respond/alertservice.cpp
)
