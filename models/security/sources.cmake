# SPDX-License-Identifier: GPL-3.0-or-later
target_sources(portcullis_models PRIVATE
    security/audittablemodel.h security/audittablemodel.cpp
)
