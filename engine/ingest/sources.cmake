target_sources(portcullis_ingest PRIVATE
    ingest/fileimporter.h ingest/fileimporter.cpp
    ingest/fileimport.h ingest/fileimport.cpp
    ingest/batchwriter.h ingest/batchwriter.cpp
    ingest/fileidentity.h ingest/fileidentity.cpp
    ingest/linereader.h ingest/linereader.cpp
    ingest/ruledetectors.h ingest/ruledetectors.cpp
)
target_sources(portcullis_ingest PRIVATE ingest/backendclient.h ingest/backendclient.cpp ingest/telemetrypipeline.h ingest/telemetrypipeline.cpp
    ingest/connectiontls.h ingest/connectiontls.cpp ingest/connectionalerts.h ingest/connectionalerts.cpp
    ingest/connectionalertimport.h ingest/connectionalertimport.cpp
    ingest/connectionset.h ingest/connectionset.cpp)
target_link_libraries(portcullis_ingest PUBLIC Qt6::Network)
