// SPDX-License-Identifier: GPL-3.0-or-later
#include "fraud/treeeval.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace portcullis::fraud {

namespace {

// Trees walked side by side: enough independent loads to hide the latency
// of each level's dependent load.
constexpr int Lanes = 8;

int depthOf(const std::vector<TreeEvalNode> &nodes, int index)
{
    const TreeEvalNode &node = nodes[size_t(index)];
    if (node.left < 0)
        return 0;
    return 1 + std::max(depthOf(nodes, node.left), depthOf(nodes, node.right));
}

// The split rule of TreeModel: below the threshold goes left, and a missing
// value goes to the default side. Written without a branch: x < threshold
// is false for NaN.
inline bool goesLeft(float x, float threshold, bool defaultLeft)
{
    return (x < threshold) | (std::isnan(x) & defaultLeft);
}

// True when the -infinity stand-in for a missing value gives the same side
// as the default: every split threshold must be finite.
bool hasFiniteThresholds(const std::vector<TreeEvalNode> &nodes)
{
    return std::all_of(nodes.begin(), nodes.end(),
        [](const TreeEvalNode &node) { return node.left < 0 || std::isfinite(node.value); });
}

} // namespace

void TreeEval::appendTree(const std::vector<TreeEvalNode> &nodes)
{
    m_trees.push_back(nodes);
    m_rootMeans.push_back(nodes.front().mean);
    for (const TreeEvalNode &node : nodes) {
        const auto at = std::lower_bound(m_splitFeatures.begin(), m_splitFeatures.end(),
            quint16(node.feature));
        if (node.left >= 0 && (at == m_splitFeatures.end() || *at != quint16(node.feature)))
            m_splitFeatures.insert(at, quint16(node.feature));
    }
    const int depth = depthOf(nodes, 0);
    if (depth > MaxPaddedDepth || !hasFiniteThresholds(nodes))
        m_padded = false;
    if (!m_padded) {
        clearPadded();
        return;
    }
    if (depth > m_depth) {
        // Every tree so far is padded again to the new depth.
        m_depth = depth;
        pad();
        return;
    }
    padTree(nodes, m_trees.size() - 1);
}

size_t TreeEval::splitSlot(size_t tree, size_t position) const
{
    size_t level = 0;
    while (position + 1 >= size_t(2) << level)
        ++level;
    const size_t levelStart = (size_t(1) << level) - 1;
    return (tree / Lanes) * Lanes * size_t(splitCount()) + Lanes * levelStart
        + (tree % Lanes) * (size_t(1) << level) + (position - levelStart);
}

void TreeEval::clearPadded()
{
    m_splits.clear();
    m_leaves.clear();
    m_deltas.clear();
    m_leftDefaultFeatures.clear();
}

void TreeEval::pad()
{
    clearPadded();
    for (size_t t = 0; t < m_trees.size(); ++t)
        padTree(m_trees[t], t);
}

void TreeEval::padTree(const std::vector<TreeEvalNode> &nodes, size_t tree)
{
    const size_t splits = size_t(splitCount());
    const size_t stride = leafStride(m_depth);
    m_splits.resize((tree / Lanes + 1) * Lanes * splits);
    m_leaves.resize((tree + 1) * (splits + 1) * stride, 0.f);
    m_deltas.resize((tree + 1) * (2 * splits + 1), 0.f);
    placeNode(nodes, 0, 0, 0, tree);

    // Each leaf's path from the root, so that the walk adds contributions
    // without working out the nodes it passed. The leaf's bits, highest
    // first, are the turns of the path (1 = right).
    const size_t depth = size_t(m_depth);
    const float *deltas = m_deltas.data() + tree * (2 * splits + 1);
    for (size_t leaf = 0; leaf <= splits; ++leaf) {
        float *record = m_leaves.data() + (tree * (splits + 1) + leaf) * stride;
        auto *features = reinterpret_cast<quint8 *>(record + 1 + depth);
        size_t position = 0;
        for (size_t level = 0; level < depth; ++level) {
            const size_t child = 2 * position + 1 + ((leaf >> (depth - 1 - level)) & 1);
            record[1 + level] = deltas[child];
            features[level] = quint8(m_splits[splitSlot(tree, position)].feature);
            position = child;
        }
    }
}

// Puts node `index` at `position` of the complete tree. A leaf above the
// last level becomes a padding split whose two subtrees both end in copies
// of the leaf, so either side gives the same sum and adds zero.
void TreeEval::placeNode(const std::vector<TreeEvalNode> &nodes, int index, int position,
    int level, size_t tree)
{
    const size_t splits = size_t(splitCount());
    const TreeEvalNode &node = nodes[size_t(index)];
    if (level == m_depth) {
        const size_t leaf = tree * (splits + 1) + size_t(position) - splits;
        m_leaves[leaf * leafStride(m_depth)] = node.value;
        return;
    }
    const int leftPosition = 2 * position + 1;
    const int rightPosition = 2 * position + 2;
    if (node.left < 0) {
        placeNode(nodes, index, leftPosition, level + 1, tree);
        placeNode(nodes, index, rightPosition, level + 1, tree);
        return;
    }
    Split &split = m_splits[splitSlot(tree, size_t(position))];
    split.threshold = node.value;
    split.input = quint16(node.feature + (node.defaultLeft ? InputStride : 0));
    split.feature = quint16(node.feature);
    if (node.defaultLeft
        && std::find(m_leftDefaultFeatures.begin(), m_leftDefaultFeatures.end(), split.feature)
            == m_leftDefaultFeatures.end())
        m_leftDefaultFeatures.push_back(split.feature);
    // The same float subtraction as a walk of the linked nodes does.
    float *deltas = m_deltas.data() + tree * (2 * splits + 1);
    deltas[leftPosition] = nodes[size_t(node.left)].mean - node.mean;
    deltas[rightPosition] = nodes[size_t(node.right)].mean - node.mean;
    placeNode(nodes, node.left, leftPosition, level + 1, tree);
    placeNode(nodes, node.right, rightPosition, level + 1, tree);
}

float TreeEval::bias(float base) const
{
    for (float mean : m_rootMeans)
        base += mean;
    return base;
}

float TreeEval::evaluate(const FeatureVector &features, float base, float *byFeature) const
{
    if (!m_padded)
        return evaluateNodes(features, base, byFeature);

    // The second copy is written only where a split reads it.
    float inputs[2 * InputStride];
    std::copy_n(features.data(), FeatureCount, inputs);
    inputs[PaddingFeature] = 0.f;
    for (const quint16 feature : m_leftDefaultFeatures) {
        const float x = features[feature];
        inputs[InputStride + feature] = std::isnan(x) ? -HUGE_VALF : x;
    }
    return evaluatePadded(inputs, base, byFeature);
}

// Walks the padded trees `Lanes` at a time. With the depth a constant, the
// loops unroll, each lane's place in its level stays in a register, and the
// level's row of splits is at a constant offset. Each leaf adds its value to
// the sum and, WithContributions, the deltas along its path from the root
// down, in the order a node walk adds them.
template<int Depth, bool WithContributions>
float TreeEval::walkLanes(const float *inputs, float base, float *byFeature) const
{
    constexpr size_t Splits = (size_t(1) << Depth) - 1;
    constexpr size_t Leaves = Splits + 1;
    constexpr size_t Stride = leafStride(Depth);
    const size_t trees = m_trees.size();
    // Locals, because the stores to byFeature could alias the members.
    const Split *splits = m_splits.data();
    const float *leaves = m_leaves.data();
    float sum = base;
    // A split sends its lane right unless the input is below the threshold,
    // and NaN is never below it.
    const auto goesRight = [inputs](const Split &split) {
        return size_t(!(inputs[split.input] < split.threshold));
    };
    const auto addRecord = [&](const float *record) {
        sum += record[0];
        if constexpr (WithContributions) {
            const auto *features = reinterpret_cast<const quint8 *>(record + 1 + Depth);
#pragma GCC unroll 8
            for (int level = 0; level < Depth; ++level)
                byFeature[features[level]] += record[1 + level];
        }
    };
    // Running pointers to the group's splits and leaf records keep every
    // address a register plus a constant offset.
    size_t t = 0;
    const Split *group = splits;
    const float *groupLeaves = leaves;
    for (; t + Lanes <= trees; t += Lanes) {
        // Each lane's index within its level, which at the end is its leaf.
        size_t index[Lanes] = {};
#pragma GCC unroll 8
        for (int level = 0; level < Depth; ++level) {
            const Split *row = group + Lanes * ((size_t(1) << level) - 1);
#pragma GCC unroll 8
            for (size_t k = 0; k < size_t(Lanes); ++k)
                index[k] = 2 * index[k] + goesRight(row[(k << level) + index[k]]);
        }
#pragma GCC unroll 8
        for (size_t k = 0; k < size_t(Lanes); ++k)
            addRecord(groupLeaves + (k * Leaves + index[k]) * Stride);
        group += Lanes * Splits;
        groupLeaves += Lanes * Leaves * Stride;
    }
    for (; t < trees; ++t) {
        const size_t lane = t % Lanes;
        const Split *partialGroup = splits + (t - lane) * Splits;
        size_t index = 0;
        for (int level = 0; level < Depth; ++level) {
            const Split *row = partialGroup + Lanes * ((size_t(1) << level) - 1);
            index = 2 * index + goesRight(row[(lane << level) + index]);
        }
        addRecord(leaves + (t * Leaves + index) * Stride);
    }
    return sum;
}

template<int Depth>
float TreeEval::walkPadded(const float *inputs, float base, float *byFeature) const
{
    return byFeature ? walkLanes<Depth, true>(inputs, base, byFeature)
                     : walkLanes<Depth, false>(inputs, base, nullptr);
}

float TreeEval::evaluatePadded(const float *inputs, float base, float *byFeature) const
{
    static_assert(MaxPaddedDepth == 6, "one case per padded depth");
    switch (m_depth) {
    case 0: return walkPadded<0>(inputs, base, byFeature);
    case 1: return walkPadded<1>(inputs, base, byFeature);
    case 2: return walkPadded<2>(inputs, base, byFeature);
    case 3: return walkPadded<3>(inputs, base, byFeature);
    case 4: return walkPadded<4>(inputs, base, byFeature);
    case 5: return walkPadded<5>(inputs, base, byFeature);
    default: return walkPadded<6>(inputs, base, byFeature);
    }
}

float TreeEval::evaluateNodes(const FeatureVector &features, float base, float *byFeature) const
{
    float sum = base;
    for (const std::vector<TreeEvalNode> &nodes : m_trees) {
        const TreeEvalNode *node = nodes.data();
        while (node->left >= 0) {
            const float x = features[size_t(node->feature)];
            const TreeEvalNode *next
                = nodes.data() + (goesLeft(x, node->value, node->defaultLeft) ? node->left
                                                                               : node->right);
            if (byFeature)
                byFeature[node->feature] += next->mean - node->mean;
            node = next;
        }
        sum += node->value;
    }
    return sum;
}

} // namespace portcullis::fraud
