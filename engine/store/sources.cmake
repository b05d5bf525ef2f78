target_sources(portcullis_store PRIVATE
    store/database.h store/database.cpp
    store/databaselocation.h store/databaselocation.cpp
    store/migrations.h store/migrations.cpp
    store/migration4.cpp store/migration5.cpp store/migration6.cpp store/migration7.cpp
    store/suppressions.h store/suppressions.cpp
    store/store.h store/store.cpp
    store/alertstore.cpp
    store/importruns.cpp
    store/eventcodec.h store/eventcodec.cpp
    store/eventidset.h store/eventidset.cpp
    store/storeutil.h
    store/metricsqueries.h store/metricsqueries.cpp
    store/connections.h store/connections.cpp
)
