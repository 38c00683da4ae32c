"""The demo's chains: the four starter trees of domain.md §3.2, every status shown, all marked demo."""

from yuanqu.chains import demo
from yuanqu.chains.models import Chain, ChainNode, NodeEnterprise
from yuanqu.chains.selectors import Status, gaps_for_chains, status_counts
from yuanqu.enterprises import demo as enterprise_demo
from yuanqu.enterprises.models import Enterprise


def test_demo_chains_show_every_status_and_are_removed_again(units, clock):
    enterprise_demo.build_demo(today=clock.today())
    demo.build_demo(today=clock.today())
    chains = list(Chain.objects.all())
    assert [c.name for c in chains] == ["豪华邮轮", "智能制造", "现代建筑", "汽车配件"]
    assert {c.lead_unit_id for c in chains} == {units["invest"].pk}
    cruise = ChainNode.objects.filter(chain=chains[0])
    assert cruise.filter(path__startswith=cruise.get(code="U1").path).count() == 5  # U1 and its four design phases
    gaps = gaps_for_chains(chains)
    for chain in chains:
        counts = status_counts(gaps[chain.pk])
        assert all(counts[s] for s in Status), (chain.name, counts)
    assert not Chain.objects.filter(is_demo=False).exists()
    assert not NodeEnterprise.objects.filter(is_demo=False).exists()
    demo.clear_demo()
    enterprise_demo.clear_demo()
    assert not (Chain.objects.exists() or ChainNode.objects.exists() or Enterprise.objects.exists())
