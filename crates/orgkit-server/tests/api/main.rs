//! One integration-test binary: it drives the real server over HTTP on 127.0.0.1, once on
//! SQLite and once more on PostgreSQL when `ORGKIT_TEST_POSTGRES_URL` is set.
#![allow(clippy::unwrap_used)]

mod harness;

mod active_organization;
mod api_key_auth;
mod api_keys;
mod api_keys_use;
mod audit;
mod clerk;
mod clerk_conformance;
mod clerk_lists;
mod concurrency;
mod crash;
mod custom_roles;
mod domain_enrollment;
mod domains;
mod errors;
mod flows;
mod governance;
mod groups;
mod join_requests;
mod limits;
mod links;
mod oidc;
mod owners;
mod password_reset;
mod queue;
mod rate_limits;
mod roles;
mod roster;
mod security;
mod service_accounts;
mod session_tokens;
mod session_tokens_node;
mod shared_locks;
mod smtp;
mod sso_connections;
mod sso_discovery;
mod sso_sign_in;
mod surface;
mod webhooks;
mod workspace_cascades;
mod workspace_principals;
mod workspace_races;
mod workspaces;

/// Generates, for each test function `f(Backend)`, one test per database.
macro_rules! on_both_databases {
    ($($module:ident :: $name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    crate::$module::$name(crate::harness::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    match crate::harness::Backend::postgres() {
                        Some(backend) => crate::$module::$name(backend).await,
                        None => eprintln!(
                            "NOT RUN on PostgreSQL: ORGKIT_TEST_POSTGRES_URL is not set ({})",
                            stringify!($name)
                        ),
                    }
                }
            )*
        }
    };
}

on_both_databases!(
    active_organization::the_last_active_organization_is_remembered,
    active_organization::active_organization_refusals,
    active_organization::a_lost_membership_clears_the_active_organization,
    workspaces::workspaces_are_created_granted_renamed_and_archived,
    workspaces::personal_workspaces_are_made_once_and_take_no_grants,
    workspaces::effective_access_is_direct_group_or_organization,
    workspace_cascades::removing_a_member_removes_their_grants_and_group_rows,
    workspace_cascades::a_workspace_grant_racing_a_removal_leaves_no_grant_to_a_non_member,
    workspace_cascades::clerk_removals_remove_grants_and_group_rows,
    groups::groups_are_managed_by_admins_and_their_managers,
    api_keys::api_keys_follow_the_policy_and_their_scope,
    api_keys_use::api_keys_narrow_with_their_owner_and_expire,
    api_keys_use::api_key_secrets_stay_secret_and_last_use_is_recorded,
    api_keys_use::a_node_backend_works_with_an_api_key,
    api_key_auth::api_key_has_no_expiry_by_default,
    api_key_auth::api_key_as_the_session_cookie_is_refused,
    api_key_auth::api_key_of_a_removed_member_is_revoked,
    service_accounts::service_accounts_act_with_their_role,
    workspace_principals::service_account_workspace_grants_direct_and_by_group,
    workspace_principals::service_account_key_gets_no_personal_workspace,
    workspace_races::member_removal_racing_a_group_addition,
    workspace_races::group_deletion_racing_a_workspace_grant,
    workspace_races::service_account_deletion_racing_a_grant_and_a_group_addition,
    limits::the_member_limit_holds_on_every_join_path,
    limits::concurrent_joins_into_one_free_seat_give_one_member,
    limits::one_organization_per_account,
    limits::organizations_per_user_are_limited,
    limits::suspended_members_free_their_seat,
    limits::the_clerk_api_adds_no_member_past_the_limit,
    limits::sso_adds_no_member_past_the_limit,
    governance::metadata_is_read_by_members_and_merged_by_admins,
    governance::logos_are_checked_by_content_served_with_etags_and_deleted,
    governance::the_billing_profile_needs_the_billing_permissions,
    password_reset::forgot_mail_reset_then_sign_in,
    password_reset::expired_and_unknown_links_are_refused,
    password_reset::unknown_addresses_get_the_same_answer_and_no_mail,
    password_reset::forgot_is_rate_limited,
    password_reset::a_clerk_made_user_sets_a_password,
    password_reset::a_domain_that_requires_sso_gets_no_password,
    clerk::keys_are_made_by_the_command_stored_hashed_and_revoked,
    clerk::missing_and_wrong_keys_get_clerks_401,
    clerk::every_use_of_a_key_is_rate_limited,
    clerk::the_clerk_openapi_document_matches_its_router,
    clerk_lists::lists_page_filter_and_sort,
    clerk_lists::every_clerk_error_code_has_its_request,
    clerk_lists::concurrent_clerk_writes_keep_the_invariants,
    clerk_conformance::clerk_backend_3_runs_unchanged,
    clerk_conformance::clerk_backend_2_runs_unchanged,
    session_tokens::tokens_carry_the_membership,
    session_tokens::rotation_keeps_the_old_key_until_its_tokens_expire,
    session_tokens::instances_racing_make_one_first_key,
    session_tokens::a_wide_token_stays_under_a_kilobyte,
    session_tokens_node::tokens_verify_with_jose,
    session_tokens_node::without_a_secret_key_tokens_are_not_configured,
    sso_connections::connections_are_created_listed_and_read,
    sso_connections::connection_rules_refuse_bad_input,
    sso_connections::without_a_secret_key_sso_is_not_configured,
    sso_connections::connection_states_and_require_sso,
    sso_connections::two_admins_racing_for_one_domain,
    sso_discovery::test_connection_reports_discovery,
    sso_discovery::test_connection_finds_the_real_provider,
    sso_discovery::private_providers_are_refused_unless_allowed,
    sso_sign_in::a_rotated_signing_key_is_fetched_once_more,
    roster::declining_invitations,
    roster::dismissing_expired_invitations,
    roster::token_accept_verifies_only_the_invited_address,
    roster::roster_lists_filters_and_pages,
    roster::bulk_removal_answers_per_member,
    roster::bulk_removals_racing_keep_an_admin,
    flows::full_lifecycle_of_two_users,
    flows::member_pages_follow_the_cursor,
    flows::bulk_invitations_answer_per_address,
    flows::revoke_and_resend,
    flows::verified_users_see_and_accept_their_invitations,
    flows::slugs_are_suggested_and_unique,
    flows::permission_checks,
    flows::app_permissions,
    roles::role_catalog_lists_built_ins_and_app_permissions,
    custom_roles::custom_role_lifecycle,
    custom_roles::role_routes_refuse_with_stable_codes,
    custom_roles::members_hold_several_roles,
    custom_roles::the_default_role_applies_to_join_paths,
    custom_roles::role_edits_race_with_demotions,
    custom_roles::a_transfer_gives_the_creator_role,
    flows::deleting_an_organization_removes_everything_in_it,
    errors::authentication_errors,
    errors::validation_errors,
    errors::membership_errors,
    errors::invitation_errors,
    errors::expired_invitations,
    errors::rate_limits,
    errors::cross_organization_access,
    errors::database_outages_answer_unavailable,
    errors::expired_verification_links,
    errors::mail_rate_limits,
    errors::malformed_tokens_are_unknown,
    rate_limits::two_instances_share_one_limit,
    rate_limits::concurrent_attempts_count_all_or_nothing,
    rate_limits::counting_never_waits_for_the_main_pool,
    audit::the_audit_log_reads_newest_first_with_filters,
    security::cookies_csrf_and_cors,
    security::tokens_are_stored_hashed,
    security::openapi_document_matches_the_router,
    surface::bodies_must_be_json_objects,
    surface::forwarded_for_is_ignored_by_default,
    surface::trusted_proxies_name_the_client,
    concurrency::admins_demoting_each_other_keep_an_admin,
    concurrency::many_admins_demoting_each_other_keep_an_admin,
    owners::owners_and_transfer,
    owners::a_transfer_beyond_my_permissions_is_an_escalation,
    owners::creator_protection,
    owners::suspended_members,
    owners::owner_races_keep_an_owner,
    owners::a_clerk_key_removing_the_last_owner_hands_ownership_over,
    concurrency::an_invitation_accepted_twice_at_once_gives_one_membership,
    concurrency::role_updates_and_removals_keep_the_locked_transaction,
    concurrency::creations_and_invitations_commit_in_one_call,
    shared_locks::managers_demoting_each_other_run_one_after_the_other,
    smtp::invitation_email_reaches_a_real_smtp_server,
    domains::domains_are_added_listed_and_deleted,
    domains::affiliation_is_verified_with_a_mailed_code,
    domains::ownership_is_verified_through_dns,
    domain_enrollment::automatic_invitation_backfills_and_follows_verification,
    domain_enrollment::backfill_and_verification_race_to_one_invitation_each,
    domain_enrollment::suggestions_are_listed_and_accepted,
    domains::domain_routes_need_a_session,
    webhooks::webhook_endpoints_crud_and_errors,
    join_requests::join_requests_from_asking_to_deciding,
    join_requests::join_request_pages_put_pending_first,
    join_requests::join_requests_decided_twice_at_once_give_one_outcome,
    join_requests::asking_and_deciding_count_against_the_mail_limits,
    webhooks::webhooks_are_signed_and_delivered,
    webhooks::webhook_addresses_are_checked_at_creation_and_delivery,
    webhooks::rotated_secrets_sign_side_by_side,
    webhooks::gone_disables_the_endpoint,
    webhooks::slow_receivers_time_out_and_are_retried,
    webhooks::a_receiver_down_then_up_gets_the_message_once,
    webhooks::invitations_can_be_delivered_by_webhook,
    webhooks::deliveries_verify_with_the_npm_library,
    queue::mail_leaves_after_the_answer_and_no_token_stays,
    queue::delivery_none_answers_the_link_once,
    queue::failed_mail_is_retried_then_dead_and_revived_by_hand,
    queue::mail_is_delivered_once_when_the_server_comes_back,
    queue::a_killed_server_leaves_no_item_behind,
    queue::a_killed_server_delivers_every_webhook_after_a_restart,
    smtp::starttls_is_used_when_offered,
    smtp::smtps_uses_implicit_tls,
    smtp::required_tls_refuses_a_server_without_starttls,
    smtp::credentials_reach_the_servers_auth,
    links::invite_links_create_list_accept_reset_revoke,
    links::approval_links_file_join_requests,
    links::a_one_use_link_accepted_by_twenty_at_once_gives_one_member,
    links::link_previews_are_rate_limited_per_client,
    sso_sign_in::a_new_user_joins_just_in_time,
    sso_sign_in::an_existing_user_is_linked_and_keeps_their_role,
    sso_sign_in::a_removed_jit_member_is_added_again,
    sso_sign_in::callback_refusals_write_nothing,
    sso_sign_in::start_refusals,
    sso_sign_in::require_sso_blocks_password_sign_in,
    sso_sign_in::two_first_sign_ins_at_once_make_one_user,
);

/// Tests that only PostgreSQL can run, each `postgres_<name>`; without
/// `ORGKIT_TEST_POSTGRES_URL` each says that it did not run.
macro_rules! on_postgres_only {
    ($($module:ident :: $name:ident),+ $(,)?) => {
        mod postgres_only {
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    match harness::Backend::postgres() {
                        Some(backend) => $module::$name(backend).await,
                        None => eprintln!(
                            "NOT RUN on PostgreSQL: ORGKIT_TEST_POSTGRES_URL is not set ({})",
                            stringify!($name)
                        ),
                    }
                }
            )+
        }
    };
}

on_postgres_only!(
    // Several instances share one queue only through PostgreSQL (SQLite runs one server).
    queue::two_instances_share_the_queue,
    // Issue 14: PostgreSQL's shared organization lock (SQLite's writer runs one write at a
    // time), and what a write that waited for the lock sees.
    shared_locks::shared_writes_pass_a_shared_lock_and_demotions_wait,
    shared_locks::deadlocked_shared_writes_run_again_alone,
    shared_locks::a_write_waiting_for_the_lock_sees_my_membership_after_the_wait,
);

/// Issue 14: SIGKILL under write load on SQLite with `synchronous = FULL`, then a restart
/// (SQLite only: the writer thread is SQLite's).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_acknowledged_writes_survive_a_kill_under_full() {
    crash::acknowledged_writes_survive_a_kill_under_full().await
}

/// The test identity provider works on its own (no database involved).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oidc_test_provider_logs_in_the_hinted_user() {
    oidc::the_test_provider_logs_in_the_hinted_user().await
}

#[test]
fn postgres_suite_status() {
    match std::env::var("ORGKIT_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => eprintln!("PostgreSQL suite ON: {url}"),
        _ => {
            eprintln!("PostgreSQL suite OFF: ORGKIT_TEST_POSTGRES_URL is not set; only SQLite ran")
        }
    }
}
