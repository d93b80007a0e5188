"""Every mapped class, imported in one place so the metadata (and Alembic) sees them all."""

from capmatch.accounts.models import AccountLink, Invitation, OutgoingEmail, ResetRequest
from capmatch.applications.models import Application
from capmatch.audit.models import AuditEvent
from capmatch.auth.models import ApiToken, LoginAttempt, User
from capmatch.db import Base
from capmatch.matching.models import MatchRun, Policy, RunGap
from capmatch.needs.models import Need, NeedEligibleGrouping, NeedLanguage
from capmatch.notifications.models import Notification, NotificationPreference
from capmatch.offers.models import Offer, OfferArea, OfferLanguage, PastDeployment
from capmatch.organizations.models import Membership, Organization
from capmatch.proposals.models import Proposal
from capmatch.reports.models import ReportSettings
from capmatch.taxonomy.models import Area, Cluster, Country, CountryLanguage, Language, Skill, SkillArea

__all__ = [
    "ApiToken", "Area", "AuditEvent", "Base", "Cluster", "Country", "CountryLanguage", "Language", "LoginAttempt", "Notification",
    "MatchRun", "Membership", "Need", "NeedEligibleGrouping", "NeedLanguage", "Offer", "OfferArea", "OfferLanguage",
    "Organization", "PastDeployment", "Policy", "Proposal", "ReportSettings", "RunGap", "User",
    "NotificationPreference",
    "AccountLink", "Application", "Invitation", "OutgoingEmail", "ResetRequest",
    "Skill", "SkillArea",
]
