//! What the SDK knows about an organization's members, so that the rule book can refuse
//! demoting or removing the last admin locally. Pure Rust: tested natively.

use orgkit_core::RoleCatalog;

/// The members seen on the pages fetched so far, from the first page on.
#[derive(Debug, Default, Clone)]
pub struct MemberRoster {
    /// (user id, role), in list order.
    members: Vec<(String, String)>,
    /// The cursor that continues the pages seen so far, when they started at the first page.
    next_cursor: Option<String>,
    /// Whether the pages seen cover the whole list, from the first page to the last.
    complete: bool,
    /// Whether `members` starts at the first page and has no gap.
    contiguous: bool,
}

impl MemberRoster {
    /// Records a fetched page. `after` is the cursor it was asked with (`None`: first page).
    pub fn record_page(
        &mut self,
        after: Option<&str>,
        members: Vec<(String, String)>,
        next_cursor: Option<String>,
    ) {
        match after {
            None => {
                self.members = members;
                self.contiguous = true;
            }
            Some(cursor) if self.contiguous && self.next_cursor.as_deref() == Some(cursor) => {
                self.members.extend(members);
            }
            Some(_) => {
                // A page out of sequence: what we hold no longer covers the list.
                self.contiguous = false;
                self.members.extend(members);
            }
        }
        self.complete = self.contiguous && next_cursor.is_none();
        self.next_cursor = next_cursor;
    }

    /// The role of a member seen on a fetched page.
    #[must_use]
    pub fn role_of(&self, user_id: &str) -> Option<&str> {
        self.members
            .iter()
            .find(|(id, _)| id == user_id)
            .map(|(_, role)| role.as_str())
    }

    /// The number of admins, when the whole list has been seen.
    #[must_use]
    pub fn admin_count(&self, catalog: &RoleCatalog) -> Option<u64> {
        self.complete.then(|| {
            self.members
                .iter()
                .filter(|(_, role)| catalog.is_admin(role))
                .count() as u64
        })
    }

    /// Notes a role change the server accepted.
    pub fn set_role(&mut self, user_id: &str, role: &str) {
        if let Some(entry) = self.members.iter_mut().find(|(id, _)| id == user_id) {
            entry.1 = role.to_owned();
        }
    }

    /// Notes a removal the server accepted.
    pub fn remove(&mut self, user_id: &str) {
        self.members.retain(|(id, _)| id != user_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(id: &str, role: &str) -> (String, String) {
        (id.to_owned(), role.to_owned())
    }

    #[test]
    fn a_single_complete_page_knows_the_admin_count() {
        let catalog = RoleCatalog::built_in();
        let mut roster = MemberRoster::default();
        assert_eq!(roster.admin_count(&catalog), None, "nothing seen yet");
        roster.record_page(None, vec![m("u1", "admin"), m("u2", "basic_member")], None);
        assert_eq!(roster.admin_count(&catalog), Some(1));
        assert_eq!(roster.role_of("u2"), Some("basic_member"));
        roster.set_role("u2", "admin");
        assert_eq!(roster.admin_count(&catalog), Some(2));
        roster.remove("u1");
        assert_eq!(roster.admin_count(&catalog), Some(1));
    }

    #[test]
    fn pages_count_only_once_the_list_is_walked_to_its_end() {
        let catalog = RoleCatalog::built_in();
        let mut roster = MemberRoster::default();
        roster.record_page(None, vec![m("u1", "admin")], Some("c1".into()));
        assert_eq!(roster.admin_count(&catalog), None, "more pages to come");
        roster.record_page(Some("c1"), vec![m("u2", "admin")], None);
        assert_eq!(roster.admin_count(&catalog), Some(2));
        // A page out of sequence breaks the knowledge until the first page is fetched again.
        roster.record_page(Some("elsewhere"), vec![m("u9", "admin")], None);
        assert_eq!(roster.admin_count(&catalog), None);
        roster.record_page(None, vec![m("u1", "admin")], None);
        assert_eq!(roster.admin_count(&catalog), Some(1));
    }
}
