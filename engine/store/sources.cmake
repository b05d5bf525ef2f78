target_sources(portcullis_store PRIVATE
    store/database.h store/database.cpp
    store/migrations.h store/migrations.cpp
)
