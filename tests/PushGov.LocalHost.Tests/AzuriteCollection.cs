using PushGov.Testing;

namespace PushGov.LocalHost.Tests;

[CollectionDefinition("Azurite")]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>;
