"""The schema: root types composed from each capability's queries and mutations."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from lifecycle.service.settings import Settings
from lifecycle.store import database
from schema import scalars
from schema.audit.queries import AuditQueries
from schema.board.queries import BoardQueries
from schema.development.mutations import DevelopmentMutations
from schema.development.queries import FundingQueries, LearningQueries
from schema.directory.erasure import PersonMutations, PersonQueries
from schema.directory.mutations import ChallengeMutations, OrganisationMutations
from schema.directory.queries import ChallengeQueries, MeQueries, OrganisationQueries
from schema.documents._graphql_internals import executor
from schema.documents.cost import QueryCostLimiter
from schema.documents.pipeline import CachedDocuments, Documents
from schema.errors import (
    ForbiddenError,
    IdempotencyKeyReusedError,
    InsufficientAuthorityError,
    InvalidStateError,
    NotFoundError,
    ValidationError,
    VersionConflictError,
    WrongStageError,
)
from schema.governance.mutations import GovernanceMutations
from schema.governance.queries import GovernanceQueries
from schema.ideas.mutations import IdeaMutations
from schema.improvement.mutations import MeasureMutations
from schema.improvement.queries import MeasureQueries
from schema.innovations.mutations import InnovationMutations
from schema.innovations.node import NodeQueries
from schema.innovations.queries import InnovationQueries
from schema.partners.sharing import sharing
from schema.partners.subscriptions import PartnerSubscriptions
from schema.partners.webhooks import WebhookMutations, WebhookQueries
from schema.server.error_log import LoggedSchema, expected
from schema.server.refusals import UNAVAILABLE
from schema.spread.mutations import SpreadMutations
from schema.spread.queries import SpreadQueries


@strawberry.type
class Query(InnovationQueries, SpreadQueries, MeasureQueries, BoardQueries, FundingQueries,
            GovernanceQueries, OrganisationQueries, ChallengeQueries, NodeQueries, MeQueries,
            WebhookQueries, AuditQueries, LearningQueries, PersonQueries):
    pass


@strawberry.type
class Mutation(IdeaMutations, DevelopmentMutations, GovernanceMutations, SpreadMutations,
               InnovationMutations, OrganisationMutations, ChallengeMutations, MeasureMutations,
               WebhookMutations, PersonMutations):
    pass


@strawberry.type
class Subscription(PartnerSubscriptions):
    pass


def _is_unexpected(error: GraphQLError) -> bool:
    """Mask only exceptions raised inside resolvers that are not deliberate GraphQL errors;
    validation errors and errors with a code stay readable."""
    return not expected(error)


class Masked(MaskErrors):
    """strawberry's error masking, except that a database outage is said as such: a client may
    retry it, and the endpoint answers HTTP 503 (``unavailable``). Its message names no host,
    driver or SQL."""

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        if error.original_error is not None and database.unavailable(error.original_error):
            return GraphQLError(
                "the database is unavailable; retry shortly", nodes=error.nodes,
                source=error.source, positions=error.positions, path=error.path,
                extensions={"code": UNAVAILABLE, "retryable": True})
        return super().anonymise_error(error)


def unavailable(errors: list[GraphQLError] | None) -> bool:
    """Whether a result's errors include a database outage (the endpoint answers 503)."""
    return any((e.extensions or {}).get("code") == UNAVAILABLE for e in errors or ())


def build(settings: Settings | None = None,
          documents: Documents | None = None) -> strawberry.Schema:
    """The schema for these settings (production hardening is configuration, not a fork);
    ``documents`` is the document pipeline it shares with the HTTP endpoint."""
    settings = settings or Settings()
    pipeline = documents or Documents(settings)
    return LoggedSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        execution_context_class=sharing(executor(settings.development)),
        scalar_overrides=scalars.OVERRIDES,
        types=[ValidationError, NotFoundError, WrongStageError, InvalidStateError,
               InsufficientAuthorityError, ForbiddenError, VersionConflictError,
               IdempotencyKeyReusedError],
        extensions=[lambda: CachedDocuments(pipeline),
                    lambda: Masked(should_mask_error=_is_unexpected,
                                   error_message="Internal error; it has been logged."),
                    lambda: QueryCostLimiter(settings.max_query_cost)],
    )
