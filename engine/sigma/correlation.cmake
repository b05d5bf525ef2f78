target_sources(portcullis_sigma PRIVATE
)
