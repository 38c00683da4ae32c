"""The shipped steps of a village's or community's 两委换届 (the 党建办 may rename, add or switch
them off in the admin site). The migration loads them; the demo reloads them into a database
flushed since migrating (a transactional test's)."""

STAGES = [
    "换届工作动员部署",
    "村（社区）党组织委员会换届选举",
    "推选村（居）民选举委员会",
    "选民登记及公布",
    "候选人提名及资格审查",
    "村（居）民委员会选举",
    "村（居）务监督委员会选举",
    "工作移交及总结",
]


def load(get_model) -> None:
    stage = get_model("party", "ElectionStage")
    for order, name in enumerate(STAGES, start=1):
        stage.objects.get_or_create(name=name, defaults={"order": order})
