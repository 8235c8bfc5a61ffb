// Topic and subscription mutations, run against every Store: what is
// committed is what Load() returns, including after a reopen.
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "tests/store/store_factories.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace cortado::store {
namespace {

class TopicStoreTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    store_ = GetParam().open(dir_.path());
    ASSERT_NE(store_, nullptr);
  }
  void Reopen() {
    if (!GetParam().persistent()) return;
    store_.reset();
    store_ = GetParam().open(dir_.path());
  }
  StoreSnapshot Load() {
    absl::StatusOr<StoreSnapshot> snapshot = store_->Load();
    EXPECT_TRUE(snapshot.ok()) << snapshot.status();
    return snapshot.ok() ? *std::move(snapshot) : StoreSnapshot{};
  }
  void Commit(std::vector<StoreMutation> mutations) {
    WriteBatch batch;
    batch.mutations = std::move(mutations);
    ASSERT_OK(store_->Commit(batch));
  }

  cortado::testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TopicRecord MakeTopic(uint64_t id, const std::string& name) {
  TopicRecord t;
  t.topic_id = id;
  t.name = name;
  t.fifo = name.size() > 5 && name.substr(name.size() - 5) == ".fifo";
  t.attributes = {{"DisplayName", "Orders \xE2\x98\x95"},
                  {"Policy", "{\"Version\":\"2008-10-17\"}"}};
  t.tags = {{"team", "coffee"}};
  t.created = absl::FromUnixMicros(1767225600123456);
  return t;
}

SubscriptionRecord MakeSubscription(const std::string& id, uint64_t topic) {
  SubscriptionRecord s;
  s.subscription_id = id;
  s.topic_id = topic;
  s.protocol = "sqs";
  s.endpoint = "arn:aws:sqs:us-east-1:000000000000:orders";
  s.attributes = {{"FilterPolicy", "{\"event\":[\"order_placed\"]}"},
                  {"RawMessageDelivery", "true"}};
  s.created = absl::FromUnixMicros(1767225601000000);
  return s;
}

void ExpectSame(const TopicRecord& a, const TopicRecord& b) {
  EXPECT_EQ(a.topic_id, b.topic_id);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.fifo, b.fifo);
  EXPECT_EQ(a.attributes, b.attributes);
  EXPECT_EQ(a.tags, b.tags);
  EXPECT_EQ(a.created, b.created);
}

void ExpectSame(const SubscriptionRecord& a, const SubscriptionRecord& b) {
  EXPECT_EQ(a.subscription_id, b.subscription_id);
  EXPECT_EQ(a.topic_id, b.topic_id);
  EXPECT_EQ(a.protocol, b.protocol);
  EXPECT_EQ(a.endpoint, b.endpoint);
  EXPECT_EQ(a.attributes, b.attributes);
  EXPECT_EQ(a.created, b.created);
  EXPECT_EQ(a.pending_confirmation, b.pending_confirmation);
  EXPECT_EQ(a.confirmation_token, b.confirmation_token);
  EXPECT_EQ(a.confirmation_authenticated, b.confirmation_authenticated);
  EXPECT_EQ(a.authenticate_on_unsubscribe, b.authenticate_on_unsubscribe);
}

TEST_P(TopicStoreTest, TopicsAndSubscriptionsLoadBackExactly) {
  const TopicRecord topic = MakeTopic(1, "orders");
  const TopicRecord fifo = MakeTopic(2, "orders.fifo");
  const SubscriptionRecord sub = MakeSubscription("a-1", 1);
  Commit({PutTopic{topic}, PutTopic{fifo}, PutSubscription{sub}});
  Reopen();
  StoreSnapshot snapshot = Load();
  ASSERT_EQ(snapshot.topics.size(), 2u);
  const bool first_is_1 = snapshot.topics[0].topic_id == 1;
  ExpectSame(snapshot.topics[first_is_1 ? 0 : 1], topic);
  ExpectSame(snapshot.topics[first_is_1 ? 1 : 0], fifo);
  ASSERT_EQ(snapshot.subscriptions.size(), 1u);
  ExpectSame(snapshot.subscriptions[0], sub);
}

TEST_P(TopicStoreTest, PutReplacesAndRemoveSubscriptionDeletes) {
  Commit({PutTopic{MakeTopic(1, "t")},
          PutSubscription{MakeSubscription("s1", 1)},
          PutSubscription{MakeSubscription("s2", 1)}});
  TopicRecord changed = MakeTopic(1, "t");
  changed.attributes = {{"DisplayName", "new"}};
  changed.tags = {};
  SubscriptionRecord unfiltered = MakeSubscription("s1", 1);
  unfiltered.attributes.erase("FilterPolicy");
  Commit({PutTopic{changed}, PutSubscription{unfiltered},
          RemoveSubscription{"s2"}});
  Reopen();
  StoreSnapshot snapshot = Load();
  ASSERT_EQ(snapshot.topics.size(), 1u);
  ExpectSame(snapshot.topics[0], changed);
  ASSERT_EQ(snapshot.subscriptions.size(), 1u);
  ExpectSame(snapshot.subscriptions[0], unfiltered);
}

// An HTTP subscription's confirmation state, pending and then confirmed
// (each flag the opposite of its default at some point).
TEST_P(TopicStoreTest, HttpSubscriptionConfirmationStateLoadsBack) {
  SubscriptionRecord http = MakeSubscription("h1", 1);
  http.protocol = "http";
  http.endpoint = "http://127.0.0.1:8080/hook";
  http.pending_confirmation = true;
  http.confirmation_token = std::string(128, 'a');
  http.confirmation_authenticated = false;
  Commit({PutTopic{MakeTopic(1, "t")}, PutSubscription{http}});
  Reopen();
  StoreSnapshot snapshot = Load();
  ASSERT_EQ(snapshot.subscriptions.size(), 1u);
  ExpectSame(snapshot.subscriptions[0], http);

  http.pending_confirmation = false;
  http.confirmation_authenticated = true;
  http.authenticate_on_unsubscribe = true;
  Commit({PutSubscription{http}});
  Reopen();
  snapshot = Load();
  ASSERT_EQ(snapshot.subscriptions.size(), 1u);
  ExpectSame(snapshot.subscriptions[0], http);
}

TEST_P(TopicStoreTest, RemoveTopicRemovesItsSubscriptionsOnly) {
  Commit({PutTopic{MakeTopic(1, "a")}, PutTopic{MakeTopic(2, "b")},
          PutSubscription{MakeSubscription("s1", 1)},
          PutSubscription{MakeSubscription("s2", 2)}});
  Commit({RemoveTopic{1}});
  Reopen();
  StoreSnapshot snapshot = Load();
  ASSERT_EQ(snapshot.topics.size(), 1u);
  EXPECT_EQ(snapshot.topics[0].name, "b");
  ASSERT_EQ(snapshot.subscriptions.size(), 1u);
  EXPECT_EQ(snapshot.subscriptions[0].subscription_id, "s2");
}

INSTANTIATE_TEST_SUITE_P(AllStores, TopicStoreTest,
                         ::testing::ValuesIn(AllStoreFactories()), StoreName);

}  // namespace
}  // namespace cortado::store
