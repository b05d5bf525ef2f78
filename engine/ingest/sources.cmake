target_sources(portcullis_ingest PRIVATE
    ingest/ingest.cpp
)
