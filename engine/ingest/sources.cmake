target_sources(portcullis_ingest PRIVATE
    ingest/fileimporter.h ingest/fileimporter.cpp
    ingest/fileimport.h ingest/fileimport.cpp
    ingest/batchwriter.h ingest/batchwriter.cpp
    ingest/fileidentity.h ingest/fileidentity.cpp
    ingest/linereader.h ingest/linereader.cpp
)
target_sources(portcullis_ingest PRIVATE ingest/backendclient.h ingest/backendclient.cpp ingest/telemetrypipeline.h ingest/telemetrypipeline.cpp)
target_link_libraries(portcullis_ingest PUBLIC Qt6::Network)
