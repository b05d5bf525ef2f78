target_sources(portcullis_fraud PRIVATE
)
