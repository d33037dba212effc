"""Non-trivial reads for the knowledge-base pages."""


def study_detail_context(study, preview=False):
    return {"study": study, "is_preview": preview}
