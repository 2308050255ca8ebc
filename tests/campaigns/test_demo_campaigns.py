"""The demo's campaigns look like the real path made them: counters backed by pre-order rows."""

from lib.domain.accounts import Role
from lib.domain.campaigns import CampaignStatus, MakerStatus
from lib.services.demo import seed


def test_demo_campaigns_are_consistent(ctx):
    seed.seed(ctx)
    with ctx.uow(write=False) as uow:
        campaign_ids = [c.id for c in uow.ideas.campaigns(100, 0)]
        assert len(campaign_ids) >= 5
        statuses = set()
        for campaign_id in campaign_ids:
            campaign = uow.campaigns.campaign(campaign_id)
            statuses.add(campaign.status)
            shares = (campaign.platform_fee.amount + campaign.creator_royalty.amount
                      + campaign.co_creator_pool.amount)
            assert campaign.price.amount - shares >= campaign.unit_cost.amount
            if campaign.status is CampaignStatus.OPEN:
                assert uow.campaigns.committed_units(campaign_id) == campaign.pledged_units
                assert campaign.pledged_units < campaign.goal_units
            if campaign.status is CampaignStatus.FUNDED:
                assert uow.campaigns.committed_units(campaign_id) >= campaign.goal_units
        assert {CampaignStatus.OPEN, CampaignStatus.FUNDED, CampaignStatus.FAILED} <= statuses
        makers = [uow.users.get_by_email(seed.demo_email(h)) for h in ("maker", "maker2")]
        for maker in makers:
            assert Role.MAKER in maker.roles
            assert uow.campaigns.maker_profile(maker.id).status is MakerStatus.VERIFIED
        assert len(uow.campaigns.maker_profiles(MakerStatus.PENDING)) == 1
