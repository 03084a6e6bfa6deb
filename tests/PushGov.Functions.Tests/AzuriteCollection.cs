using PushGov.Testing;

namespace PushGov.Functions.Tests;

[CollectionDefinition("Azurite")]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>;
